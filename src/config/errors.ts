import { UsageError } from "../errors.js";

/** An invalid setting: the message starts with the setting's path, e.g. `connections[0].port: …`. */
export class ConfigError extends UsageError {
  constructor(
    readonly setting: string,
    detail: string,
  ) {
    super(`${setting}: ${detail}`);
  }
}

export function settingPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `${out === "" ? "" : "."}${String(p)}`;
  return out === "" ? "(config)" : out;
}
