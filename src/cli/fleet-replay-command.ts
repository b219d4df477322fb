import { statSync } from "node:fs";
import { UsageError } from "../errors.js";
import { FleetFileError, replayFleet } from "../fleet/fleet-replay.js";
import { parseCommandArgs } from "./flag-table.js";
import { FLEET_REPLAY } from "./fleet-replay-options.js";
import { ReplayWarnings } from "./replay-input.js";

function checkFile(path: string, flag: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch (err) {
    throw new UsageError(`${flag}: cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  if (isDirectory) throw new UsageError(`${flag}: '${path}' is a directory; give a JSON Lines file`);
}

/** `fleet-replay FILE [--evidence FILE]`: the fleet summary as JSON on stdout, skipped lines as warnings on stderr. */
export async function fleetReplayCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(FLEET_REPLAY, args);
  if (positionals.length !== 1) throw new UsageError("expects exactly one FILE of AWS lifecycle events (JSON Lines)");
  const file = positionals[0] as string;
  checkFile(file, "FILE");
  if (values.evidence !== undefined) checkFile(values.evidence, "--evidence");
  const warnings = new ReplayWarnings();
  let result;
  try {
    result = await replayFleet({
      file,
      ...(values.evidence !== undefined ? { evidence: values.evidence } : {}),
      warn: (text) => warnings.logger.warn({}, text),
    });
  } catch (err) {
    if (err instanceof FleetFileError) throw new UsageError(err.message);
    throw err;
  }
  if (result.records === 0)
    throw new UsageError(`'${file}': no AWS lifecycle events or evidence messages${result.skipped > 0 ? ` (first: ${warnings.first() ?? "invalid"})` : ""}`);
  warnings.print((text) => process.stderr.write(text));
  process.stdout.write(`${JSON.stringify(result.summary, null, 2)}\n`);
  return 0;
}
