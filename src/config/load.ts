import { hostname } from "node:os";
import { dirname, isAbsolute, resolve } from "node:path";
import type { z } from "zod";
import { ConfigError, settingPath } from "./errors.js";
import { checkJournalPath } from "./journal-path.js";
import { lifecycleTrust } from "./lifecycle-trust.js";
import { configSchema, MAX_CONNECTIONS, type Config, type ConfigInput } from "./schema.js";
import { checkTlsFiles } from "./tls-files.js";
import { checkTransport } from "./transport-check.js";
import { defaultBrokerPort } from "./transport.js";
import { readYamlFile } from "./yaml-file.js";

export interface LoadedConfig {
  config: Config;
  /** Valid but risky values, to log at start. */
  warnings: string[];
}

function firstIssue(error: z.ZodError): ConfigError {
  const issue = error.issues[0];
  if (issue === undefined) return new ConfigError("(config)", "invalid");
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `'${k}'`).join(", ");
    return new ConfigError(settingPath([...issue.path]), `unknown key${issue.keys.length > 1 ? "s" : ""} ${keys}`);
  }
  return new ConfigError(settingPath(issue.path), issue.message.replace(/^Invalid input: /, ""));
}

/** Validates a configuration object: defaults applied, files checked, names unique. */
export function validateConfig(input: unknown, baseDir = process.cwd()): LoadedConfig {
  const connections = (input as { connections?: unknown } | null | undefined)?.connections;
  if (Array.isArray(connections) && connections.length > MAX_CONNECTIONS) throw tooManyConnections(connections.length);
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) throw firstIssue(parsed.error);
  const config = parsed.data;
  const warnings: string[] = [];
  const names = new Set<string>();
  const clientIds = new Map<string, number>();
  // Files shared by several connections are read and checked once.
  const checkedTls = new Set<string>();
  config.connections.forEach((c, i) => {
    const at = `connections[${i}]`;
    c.name ??= c.client_id;
    if (names.has(c.name)) throw new ConfigError(`${at}.name`, `duplicate connection name '${c.name}'`);
    names.add(c.name);
    // The broker keeps one session per client ID: the second connection takes the first one over.
    const clientKey = `${c.endpoint.toLowerCase()}\n${c.client_id}`;
    const first = clientIds.get(clientKey);
    if (first === undefined) clientIds.set(clientKey, i);
    else {
      warnings.push(
        `${at}.client_id: '${c.client_id}' on '${c.endpoint}' is also connections[${first}]'s; the broker allows one connection per client ID, so the two will keep knocking each other off`,
      );
    }
    checkTransport(c, at);
    c.port ??= defaultBrokerPort(c.tls !== undefined, c.transport);
    if (c.tls) {
      const tls = c.tls;
      const full = (file: string) => (isAbsolute(file) ? file : resolve(baseDir, file));
      if (tls.cert_file !== undefined) tls.cert_file = full(tls.cert_file);
      if (tls.key_file !== undefined) tls.key_file = full(tls.key_file);
      if (tls.ca_file !== undefined) tls.ca_file = full(tls.ca_file);
      const files = JSON.stringify([tls.cert_file, tls.key_file, tls.ca_file ?? null]);
      if (!checkedTls.has(files)) warnings.push(...checkTlsFiles(tls, `${at}.tls`));
      checkedTls.add(files);
    }
    if (c.reconnect.min_delay_ms > c.reconnect.max_delay_ms) {
      throw new ConfigError(`${at}.reconnect.min_delay_ms`, `must not exceed max_delay_ms (${c.reconnect.max_delay_ms})`);
    }
    if (c.keep_alive_seconds > 300) {
      warnings.push(`${at}.keep_alive_seconds: ${c.keep_alive_seconds} s is above 300 s; NATs and AWS load balancers may drop idle connections first`);
    }
    if (c.reconnect.min_delay_ms < 1000) {
      warnings.push(`${at}.reconnect.min_delay_ms: ${c.reconnect.min_delay_ms} ms is under 1 s; AWS IoT allows one connect per second per client ID`);
    }
    if (c.ping_timeout_ms >= c.keep_alive_seconds * 1000) {
      throw new ConfigError(`${at}.ping_timeout_ms`, `must be shorter than the keep-alive (${c.keep_alive_seconds} s)`);
    }
  });
  if (config.connections.length === 0 && config.fleet === undefined)
    throw new ConfigError("connections", "required: at least one connection to watch, or a `fleet` section (fleet mode)");
  if (config.lifecycle !== undefined && !names.has(config.lifecycle.observer)) {
    throw new ConfigError(
      "lifecycle.observer",
      `'${config.lifecycle.observer}' is not a configured connection (names: ${[...names].slice(0, 5).join(", ")}${names.size > 5 ? ", …" : ""})`,
    );
  }
  lifecycleTrust(config);
  if (config.fleet !== undefined) checkFleet(config, names, baseDir);
  if (!isAbsolute(config.journal.path)) config.journal.path = resolve(baseDir, config.journal.path);
  checkJournalPath(config.journal.path, "journal.path");
  return { config, warnings };
}

/** MQTT's rule: `+` and `#` only as a whole level, `#` only last. */
function isTopicFilter(filter: string): boolean {
  const levels = filter.split("/");
  return levels.every((l, i) => (l.includes("+") || l.includes("#") ? l.length === 1 && (l === "+" || i === levels.length - 1) : true));
}

function checkFleet(config: Config, names: ReadonlySet<string>, baseDir: string): void {
  const fleet = config.fleet;
  if (fleet === undefined) return;
  if (fleet.source === "kinesis") {
    if (fleet.kinesis === undefined) throw new ConfigError("fleet.kinesis", "required with fleet.source: kinesis (at least `stream` and `region`)");
    if (fleet.connection !== undefined)
      throw new ConfigError("fleet.connection", "only with fleet.source: mqtt (the Kinesis source reads fleet.kinesis.stream)");
    if (fleet.trust !== undefined) throw new ConfigError("fleet.trust", "only with fleet.source: mqtt (on Kinesis, only the IoT rules write AWS's events)");
    if (!isAbsolute(fleet.kinesis.lease_directory)) fleet.kinesis.lease_directory = resolve(baseDir, fleet.kinesis.lease_directory);
    return;
  }
  if (fleet.kinesis !== undefined) throw new ConfigError("fleet.kinesis", "only with fleet.source: kinesis");
  if (fleet.connection === undefined)
    throw new ConfigError("fleet.connection", "required with fleet.source: mqtt (the connection that subscribes to the fleet's topics)");
  if (!names.has(fleet.connection))
    throw new ConfigError(
      "fleet.connection",
      `'${fleet.connection}' is not a configured connection (${names.size === 0 ? "there is none: add it under `connections`" : `names: ${[...names].slice(0, 5).join(", ")}${names.size > 5 ? ", …" : ""}`})`,
    );
  if (fleet.connection === config.lifecycle?.observer)
    throw new ConfigError("fleet.connection", "must not be lifecycle.observer: the fleet already receives every lifecycle event");
  if (!isTopicFilter(fleet.evidence_topic_filter))
    throw new ConfigError(
      "fleet.evidence_topic_filter",
      `'${fleet.evidence_topic_filter}' is not an MQTT topic filter (+ and # stand alone in a level, # last)`,
    );
  if (fleet.evidence_topic_filter.startsWith("$aws/rules/"))
    throw new ConfigError(
      "fleet.evidence_topic_filter",
      "Basic Ingest topics ($aws/rules/...) go to IoT rules only and cannot be subscribed to: subscribe to the topic the rule republishes to, or use Kinesis",
    );
  // The fleet's subscriber reads AWS's lifecycle events as the observer does: the same trust rule.
  lifecycleTrust(
    {
      connections: config.connections,
      lifecycle: { observer: fleet.connection, join_window_seconds: fleet.join_window_seconds, ...(fleet.trust !== undefined ? { trust: fleet.trust } : {}) },
    },
    "fleet.trust",
  );
}

function tooManyConnections(count: number | string): ConfigError {
  return new ConfigError("connections", `too many (${count}); at most ${MAX_CONNECTIONS} are supported per process (run several)`);
}

// Every connection has one `client_id` key: counting them in the text refuses a file of many
// thousand connections before the YAML parse, which is the slow part.
const CLIENT_ID_KEY = /(?:^|[\s{,])["']?client_id["']?\s*:/gm;

function precountConnections(text: string): void {
  let count = 0;
  CLIENT_ID_KEY.lastIndex = 0;
  while (CLIENT_ID_KEY.exec(text) !== null) if (++count > MAX_CONNECTIONS) throw tooManyConnections(`more than ${MAX_CONNECTIONS}`);
}

/** Reads and validates a YAML configuration file. Relative paths resolve against its folder. */
export function loadConfigFile(file: string): LoadedConfig {
  const doc = readYamlFile(file, "--config", precountConnections);
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    throw new ConfigError("(config)", "must be a YAML mapping with a `connections` list (or a `fleet` section)");
  return validateConfig(doc, dirname(resolve(file)));
}

/** The single-connection configuration the environment describes, or undefined without MQTT_ENDPOINT. */
export function configFromEnv(env: NodeJS.ProcessEnv): ConfigInput | undefined {
  const endpoint = env["MQTT_ENDPOINT"];
  if (endpoint === undefined || endpoint === "") return undefined;
  const port = env["MQTT_PORT"];
  if (port !== undefined && !/^\d{1,5}$/.test(port)) throw new ConfigError("MQTT_PORT", `'${port}' is not a port number`);
  const cert = env["MQTT_CERT_FILE"];
  const key = env["MQTT_KEY_FILE"];
  if ((cert === undefined) !== (key === undefined))
    throw new ConfigError(cert === undefined ? "MQTT_CERT_FILE" : "MQTT_KEY_FILE", "MQTT_CERT_FILE and MQTT_KEY_FILE go together");
  const ca = env["MQTT_CA_FILE"];
  return {
    connections: [
      {
        endpoint,
        client_id: env["MQTT_CLIENT_ID"] ?? `mqtt-diagnostics-${hostname()}`,
        ...(port !== undefined ? { port: Number(port) } : {}),
        ...(cert !== undefined && key !== undefined ? { tls: { cert_file: cert, key_file: key, ...(ca ? { ca_file: ca } : {}) } } : {}),
      },
    ],
  };
}

// The environment's names for the settings configFromEnv fills, so an error names what the user set.
const ENV_NAMES: Record<string, string> = {
  "connections[0].endpoint": "MQTT_ENDPOINT",
  "connections[0].client_id": "MQTT_CLIENT_ID",
  "connections[0].port": "MQTT_PORT",
  "connections[0].tls.cert_file": "MQTT_CERT_FILE",
  "connections[0].tls.key_file": "MQTT_KEY_FILE",
  "connections[0].tls.ca_file": "MQTT_CA_FILE",
};

/** configFromEnv, validated; errors name the environment variable. Undefined without MQTT_ENDPOINT. */
export function loadEnvConfig(env: NodeJS.ProcessEnv): LoadedConfig | undefined {
  const input = configFromEnv(env);
  if (input === undefined) return undefined;
  try {
    return validateConfig(input);
  } catch (err) {
    const name = err instanceof ConfigError ? ENV_NAMES[err.setting] : undefined;
    if (name === undefined) throw err;
    throw new ConfigError(name, err instanceof Error ? err.message.slice(err.message.indexOf(": ") + 2) : "");
  }
}
