import { replayCommand } from "./replay-command.js";
import { REPLAY } from "./replay-options.js";
import { runCommand } from "./run-command.js";

/**
 * `mqtt-diagnostics replay ARGS`, exactly as the dispatcher runs it, without the dispatcher: the
 * process entry loads this module alone for `replay`, so a replay loads neither the other commands'
 * flag tables nor anything they import (the build bundles it as one file: start-up is part of every
 * replay's cost).
 */
export function runReplay(args: string[]): Promise<number> {
  return runCommand(REPLAY, args, () => Promise.resolve(replayCommand));
}
