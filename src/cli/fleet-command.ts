import { pino } from "pino";
import { loadConfigFile } from "../config/load.js";
import type { Config, FleetConfig } from "../config/schema.js";
import { UsageError } from "../errors.js";
import { checkListenAddress, listenError, parseListenAddress } from "../service/listen-address.js";
import { startFleet } from "../service/start-fleet.js";
import { checkChoice, parseCommandArgs } from "./flag-table.js";
import { FLEET } from "./fleet-options.js";
import { checkNativeTlsContexts } from "./native-tls-check.js";
import { catchStopSignals } from "./stop-signals.js";

/** SIGTERM must end the process within 5 s, even if the subscriber hangs while stopping. */
const SHUTDOWN_DEADLINE_MS = 4500;

/** `mqtt-diagnostics fleet --config FILE`: fleet mode on MQTT or Kinesis until SIGTERM or SIGINT. */
export async function fleetCommand(args: string[]): Promise<number> {
  const signals = catchStopSignals();
  const flags = parseCommandArgs(FLEET, args).values;
  const level = checkChoice("log.level", FLEET.flags["log.level"], flags["log.level"]);
  if (flags.config === undefined) throw new UsageError("--config: required (a configuration file with a `fleet` section)");
  const listenValue = flags["web.listen-address"];
  const listen = parseListenAddress(listenValue);
  const settings = loadConfigFile(flags.config);
  const { config } = settings;
  if (config.fleet === undefined) throw new UsageError(`fleet: '${flags.config}' has no \`fleet\` section (see docs/fleet.md)`);
  await checkNativeTlsContexts(config);
  const webConfigFile = flags["web.config.file"];
  const webConfig = webConfigFile === undefined ? undefined : await (await import("../http/web-config/load-web-config.js")).loadWebConfig(webConfigFile);
  await checkListenAddress(listen, listenValue);
  const logger = pino({ level, base: { service: "mqtt-diagnostics-exporter" } });
  for (const w of settings.warnings) logger.warn(w);
  if (signals.received !== undefined) return 0;
  const fleet = await startFleet(config as Config & { fleet: FleetConfig }, {
    logger,
    listen,
    ...(webConfig !== undefined ? { app: webConfig.appDeps } : {}),
  }).catch((err: unknown) => {
    throw listenError(err, listenValue);
  });
  const from =
    fleet.kinesis !== undefined
      ? { stream: config.fleet.kinesis?.stream, owner: fleet.kinesis.owner, shards: fleet.kinesis.stats.shards }
      : { subscriber: config.fleet.connection, evidence: config.fleet.evidence_topic_filter };
  logger.info({ address: fleet.address, source: config.fleet.source, ...from }, "fleet mode: listening");
  const signal = await signals.first;
  logger.info({ signal }, "shutting down");
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => resolve(1), SHUTDOWN_DEADLINE_MS);
    fleet
      .close()
      .then(() => resolve(0), reject)
      .finally(() => clearTimeout(timer));
  });
}
