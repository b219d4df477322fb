import { loadConfigFile } from "../config/load.js";
import { checkNativeTlsContexts } from "./native-tls-check.js";
import { UsageError } from "../errors.js";
import { plural } from "../text/plural.js";

/** `mqtt-diagnostics check-config FILE`: 0 when valid, 2 with the first problem otherwise. */
export async function checkConfigCommand(args: string[]): Promise<number> {
  if (args.length !== 1 || args[0]?.startsWith("-")) throw new UsageError("expects exactly one FILE");
  const { config, warnings } = loadConfigFile(args[0] as string);
  await checkNativeTlsContexts(config);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(`${args[0]}: valid (${plural(config.connections.length, "connection")})\n`);
  return 0;
}
