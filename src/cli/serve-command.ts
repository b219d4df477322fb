import { parseArgs } from "node:util";
import { pino, type Logger } from "pino";
import { loadConfigFile, loadEnvConfig, validateConfig, type LoadedConfig } from "../config/load.js";
import { startDemo, type Demo } from "../demo/demo.js";
import { parseListenAddress } from "../service/listen-address.js";
import { startService, type RunningService } from "../service/start-service.js";
import { checkNativeTlsContexts } from "./native-tls-check.js";
import { UsageError } from "./usage-error.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"];
/** SIGTERM must end the process within 5 s, even if a client hangs while stopping. */
const SHUTDOWN_DEADLINE_MS = 4500;

function parseFlags(args: string[]) {
  try {
    return parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        config: { type: "string" },
        "web.listen-address": { type: "string", default: ":9883" },
        "web.config.file": { type: "string" },
        "journal.path": { type: "string" },
        "log.level": { type: "string", default: "info" },
        "otlp.endpoint": { type: "string" },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function loadSettings(file: string | undefined): LoadedConfig | undefined {
  if (file !== undefined) return loadConfigFile(file);
  return loadEnvConfig(process.env);
}

/** `mqtt-diagnostics serve` (the default command): watch the configured connections, or the demo. */
export async function serveCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args);
  const level = flags["log.level"];
  if (!LOG_LEVELS.includes(level)) throw new UsageError(`--log.level: '${level}' must be one of ${LOG_LEVELS.join(", ")}`);
  const listen = parseListenAddress(flags["web.listen-address"]);
  if (flags["otlp.endpoint"] !== undefined && !URL.canParse(flags["otlp.endpoint"])) {
    throw new UsageError(`--otlp.endpoint: '${flags["otlp.endpoint"]}' is not a URL`);
  }
  // Everything is validated before anything starts: a bad setting exits 2 with nothing running.
  let settings = loadSettings(flags.config);
  if (settings !== undefined) await checkNativeTlsContexts(settings.config);
  const webConfigFile = flags["web.config.file"];
  const webConfig = webConfigFile === undefined ? undefined : await (await import("../http/web-config/load-web-config.js")).loadWebConfig(webConfigFile);
  const logger: Logger = pino({ level, base: { service: "mqtt-diagnostics-exporter" } });

  let demo: Demo | undefined;
  if (settings === undefined) {
    demo = await startDemo({ logger });
    settings = validateConfig({ connections: [{ endpoint: "127.0.0.1", client_id: "demo-device" }], journal: { path: "data/demo-journal.jsonl" } });
    settings.config.connections = [demo.connection];
    logger.warn(
      "DEMO MODE: no configuration given, so this watches a built-in broker through a fault-injecting proxy. " +
        "Point it at AWS IoT Core with --config FILE (see check-config) or MQTT_ENDPOINT, MQTT_CLIENT_ID, MQTT_CERT_FILE, MQTT_KEY_FILE, MQTT_CA_FILE.",
    );
  }
  for (const w of settings.warnings) logger.warn(w);
  if (flags["journal.path"] !== undefined) settings.config.journal.path = flags["journal.path"];

  let service: RunningService;
  try {
    service = await startService(settings.config, {
      logger,
      listen,
      ...(flags["otlp.endpoint"] !== undefined ? { otlpEndpoint: flags["otlp.endpoint"] } : {}),
      ...(webConfig !== undefined ? { app: webConfig.appDeps } : {}),
    });
  } catch (err) {
    await demo?.stop();
    const e = err as NodeJS.ErrnoException;
    if (e.code === "EADDRINUSE" || e.code === "EACCES") throw new UsageError(`--web.listen-address: cannot listen on ${flags["web.listen-address"]} (${e.code})`);
    throw err;
  }
  const demoCollector = demo ? service.registry.get("demo") : undefined;
  if (demo && demoCollector) demo.startFaults(demoCollector);

  return new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      logger.info({ signal }, "shutting down");
      const deadline = setTimeout(() => {
        logger.error("shutdown took too long; exiting");
        resolve(1);
      }, SHUTDOWN_DEADLINE_MS);
      deadline.unref();
      void (async () => {
        await service.close();
        await demo?.stop();
        clearTimeout(deadline);
        logger.info("stopped");
        resolve(0);
      })();
    };
    process.once("SIGTERM", () => shutdown("SIGTERM"));
    process.once("SIGINT", () => shutdown("SIGINT"));
  });
}
