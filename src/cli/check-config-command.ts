import { loadConfigFile } from "../config/load.js";
import { checkNativeTlsContexts } from "./native-tls-check.js";
import { UsageError } from "../errors.js";
import { CHECK_CONFIG } from "./check-config-options.js";
import { parseCommandArgs } from "./flag-table.js";
import { plural } from "../text/plural.js";

function parseCheckArgs(args: string[]): { file: string | undefined; webFile: string | undefined } {
  const { values, positionals } = parseCommandArgs(CHECK_CONFIG, args);
  if (positionals.length > 1 || (positionals.length === 0 && values["web.config.file"] === undefined)) throw new UsageError("expects exactly one FILE");
  return { file: positionals[0], webFile: values["web.config.file"] };
}

/** `mqtt-diagnostics check-config [FILE] [--web.config.file WEB]`: 0 when valid, 2 with the first problem otherwise. */
export async function checkConfigCommand(args: string[]): Promise<number> {
  const { file, webFile } = parseCheckArgs(args);
  if (file !== undefined) {
    const { config, warnings } = loadConfigFile(file);
    await checkNativeTlsContexts(config);
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    const fleet =
      config.fleet === undefined
        ? ""
        : `, fleet mode on ${config.fleet.source === "kinesis" ? `Kinesis stream '${config.fleet.kinesis?.stream ?? ""}'` : `MQTT through '${config.fleet.connection ?? ""}'`}`;
    process.stdout.write(`${file}: valid (${plural(config.connections.length, "connection")}${fleet})\n`);
  }
  if (webFile !== undefined) {
    // The same checks as serve, TLS context included: what is called valid here also starts.
    (await import("../http/web-config/web-settings.js")).readWebSettings(webFile);
    process.stdout.write(`${webFile}: valid web config\n`);
  }
  return 0;
}
