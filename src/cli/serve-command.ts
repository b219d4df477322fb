import { resolve } from "node:path";
import { pino, type Logger } from "pino";
import { checkJournalPath } from "../config/journal-path.js";
import { loadConfigFile, loadEnvConfig, validateConfig, type LoadedConfig } from "../config/load.js";
import type { Demo } from "../demo/demo.js";
import { demoJournalPath } from "../demo/scenario-names.js";
import { checkListenAddress, listenError, parseListenAddress } from "../service/listen-address.js";
import { startService, type RunningService } from "../service/start-service.js";
import { checkNativeTlsContexts } from "./native-tls-check.js";
import { watchHangup } from "./hangup.js";
import { catchStopSignals, type StopSignals } from "./stop-signals.js";
import { UsageError } from "../errors.js";
import { checkChoice, parseCommandArgs } from "./flag-table.js";
import { SERVE } from "./serve-options.js";

/** SIGTERM must end the process within 5 s, even if a client hangs while stopping. */
const SHUTDOWN_DEADLINE_MS = 4500;

function loadSettings(file: string | undefined): LoadedConfig | undefined {
  if (file === undefined) return loadEnvConfig(process.env);
  const settings = loadConfigFile(file);
  // Valid for fleet mode (a replica that watches nothing), but serve would have nothing to do.
  if (settings.config.connections.length === 0)
    throw new UsageError(`connections: '${file}' watches no connection, only a fleet: run \`mqtt-diagnostics fleet --config ${file}\``);
  return settings;
}

/** `work()`'s code, or `onTimeout()`'s if it takes longer than the shutdown deadline. */
function withDeadline(work: () => Promise<number>, onTimeout: () => number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => resolve(onTimeout()), SHUTDOWN_DEADLINE_MS);
    void work()
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

/** `mqtt-diagnostics serve` (the default command): watch the configured connections, or the demo. */
export async function serveCommand(args: string[]): Promise<number> {
  // Stop signals first, before any slow start-up work (journal restore, demo broker); run-cli
  // has already caught them before loading this module. They stay caught until the process
  // exits: a second SIGTERM while main() drains stdout must not kill it with 143.
  // SIGHUP (journal flush, reload of --web.config.file) is not a stop signal: watchHangup
  // (hangup.ts) installs it once the logger exists, also before the slow start-up work.
  return serve(args, catchStopSignals());
}

/** The demo is the repository's (not in the published package, and aedes is a development dependency). */
async function loadDemo(): Promise<typeof import("../demo/demo.js")> {
  try {
    return await import("../demo/demo.js");
  } catch (err) {
    if ((err as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw err;
    throw new UsageError("--config: no configuration given, and the demo runs only from a clone of the repository (npm install && npm start)");
  }
}

async function serve(args: string[], signals: StopSignals): Promise<number> {
  const flags = parseCommandArgs(SERVE, args).values;
  const level = checkChoice("log.level", SERVE.flags["log.level"], flags["log.level"]);
  const listenValue = flags["web.listen-address"];
  const listen = parseListenAddress(listenValue);
  const otlpEnv = process.env["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"];
  const otlp = flags["otlp.endpoint"] ?? (otlpEnv === "" ? undefined : otlpEnv);
  if (otlp !== undefined && !(URL.canParse(otlp) && /^https?:$/.test(new URL(otlp).protocol))) {
    const setting = flags["otlp.endpoint"] !== undefined ? "--otlp.endpoint" : "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    throw new UsageError(`${setting}: '${otlp}' is not an http:// or https:// URL`);
  }
  const scenarioFlag = flags["demo.scenario"];
  const scenario = scenarioFlag === undefined ? undefined : checkChoice("demo.scenario", SERVE.flags["demo.scenario"], scenarioFlag);
  // Everything is validated before anything starts: a bad setting exits 2 with nothing running.
  let settings = loadSettings(flags.config);
  const journalFlag = flags["journal.path"] === undefined ? undefined : resolve(flags["journal.path"]);
  if (journalFlag !== undefined) checkJournalPath(journalFlag, "--journal.path");
  if (settings !== undefined) await checkNativeTlsContexts(settings.config);
  const webConfigFile = flags["web.config.file"];
  const webConfig = webConfigFile === undefined ? undefined : await (await import("../http/web-config/load-web-config.js")).loadWebConfig(webConfigFile);
  await checkListenAddress(listen, listenValue);
  const logger: Logger = pino({ level, base: { service: "mqtt-diagnostics-exporter" } });
  if (signals.received !== undefined) {
    logger.info({ signal: signals.received }, "stopped before start-up");
    return 0;
  }
  const hangup = watchHangup(logger, webConfigFile, webConfig?.edge);

  let demo: Demo | undefined;
  if (settings === undefined) {
    demo = await (await loadDemo()).startDemo({ logger, ...(scenario !== undefined ? { scenario } : {}) });
    settings = validateConfig({ connections: [{ endpoint: "127.0.0.1", client_id: "demo-device" }], journal: { path: demoJournalPath(scenario) } });
    settings.config.connections = demo.connections;
    // The demo's broker lets no client publish on $aws/events/ (only the emulator, from inside): an ACL.
    settings.config.lifecycle = { observer: demo.observer.client_id, join_window_seconds: 10, trust: "broker_acl" };
    logger.warn(
      "DEMO MODE: no configuration given, so this watches a built-in broker through a fault-injecting proxy. " +
        "Point it at AWS IoT Core with --config FILE (see check-config) or MQTT_ENDPOINT, MQTT_CLIENT_ID, MQTT_CERT_FILE, MQTT_KEY_FILE, MQTT_CA_FILE.",
    );
  }
  for (const w of settings.warnings) logger.warn(w);
  if (journalFlag !== undefined) settings.config.journal.path = journalFlag;

  logger.info({ journal: settings.config.journal.path }, "restoring the journal");
  const starting = startService(settings.config, {
    logger,
    listen,
    ...(otlp !== undefined ? { otlpEndpoint: otlp } : {}),
    ...(webConfig !== undefined ? { app: webConfig.appDeps } : {}),
  }).catch(async (err: unknown) => {
    await demo?.stop();
    throw listenError(err, listenValue);
  });
  const stop = async () => {
    hangup.stop();
    await (await starting).close();
    await demo?.stop();
    logger.info("stopped");
    return 0;
  };
  const early = await Promise.race([signals.first, starting.then(() => undefined)]);
  if (early !== undefined) {
    // Stop requested during start-up: stop as soon as the service is up. Nothing is written to
    // the journal before its restore has finished, so if that outlasts the deadline, leaving
    // then loses nothing.
    logger.info({ signal: early }, "stop requested during start-up; stopping once started");
    return withDeadline(stop, () => {
      logger.warn("start-up (journal restore) still running at the shutdown deadline; exiting before anything was recorded");
      return 0;
    });
  }
  const service: RunningService = await starting;
  hangup.flushWith(() => service.journal.flush());
  const demoCollector = demo ? service.registry.get("demo") : undefined;
  if (demo && demoCollector) demo.startFaults(demoCollector);

  const signal = await signals.first;
  logger.info({ signal }, "shutting down");
  return withDeadline(stop, () => {
    logger.error("shutdown took too long; exiting");
    return 1;
  });
}
