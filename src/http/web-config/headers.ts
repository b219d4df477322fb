import { ConfigError } from "../../config/errors.js";

/**
 * The headers exporter-toolkit lets a web config set, with the values it accepts where the header
 * is an enumeration (an empty list: any value). Like the toolkit, names and values match exactly.
 */
const ALLOWED: ReadonlyMap<string, readonly string[]> = new Map([
  ["Strict-Transport-Security", []],
  ["X-Content-Type-Options", ["nosniff"]],
  ["X-Frame-Options", ["deny", "sameorigin"]],
  ["X-XSS-Protection", []],
  ["Content-Security-Policy", []],
]);

/** Checks `http_server_config.headers`; returns what to set (blank values are left unset). */
export function validateHeaders(headers: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of headers) {
    const setting = `http_server_config.headers.${name}`;
    const values = ALLOWED.get(name);
    if (values === undefined) throw new ConfigError(setting, `is not allowed; allowed: ${[...ALLOWED.keys()].join(", ")}`);
    // A control character (CR/LF above all) would make Node refuse every response: 500 everywhere.
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) throw new ConfigError(setting, "contains a control character (CR, LF, …)");
    if (values.length > 0 && !values.includes(value)) throw new ConfigError(setting, `'${value}' is not accepted; expected one of: ${values.join(", ")}`);
    if (value !== "") out.set(name, value);
  }
  return out;
}
