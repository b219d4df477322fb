import { catchStopSignals } from "./stop-signals.js";
import { COMMANDS, type CommandName } from "./commands.js";
import { commandHelp, globalHelp, globalUsage } from "./help-text.js";
import { asksHelp, isHelp, runCommand, type Command } from "./run-command.js";
import { EXIT_USAGE } from "../errors.js";

// Each command lives in its own module, loaded only when used, so `replay` starts without the
// SDK or the HTTP server. Help comes from the flag tables alone, without loading any command.
const commands: Record<CommandName, () => Promise<Command>> = {
  serve: async () => (await import("./serve-command.js")).serveCommand,
  replay: async () => (await import("./replay-command.js")).replayCommand,
  fleet: async () => (await import("./fleet-command.js")).fleetCommand,
  "fleet-replay": async () => (await import("./fleet-replay-command.js")).fleetReplayCommand,
  "check-config": async () => (await import("./check-config-command.js")).checkConfigCommand,
};

export async function runCli(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (isHelp(first) || first === "help") {
    // `help replay` is `replay --help`.
    const spec = first === "help" ? COMMANDS.find((c) => c.name === rest[0]) : undefined;
    process.stdout.write(`${spec !== undefined ? commandHelp(spec) : globalHelp(COMMANDS)}\n`);
    return 0;
  }
  if (first === "--version") {
    const { packageVersion } = await import("../version.js");
    process.stdout.write(`${packageVersion}\n`);
    return 0;
  }
  // `serve` is the default command: bare flags (or nothing) mean serve.
  const name = first === undefined || first.startsWith("-") ? "serve" : first;
  const args = name === first ? rest : argv;
  const spec = COMMANDS.find((c) => c.name === name);
  if (spec === undefined) {
    process.stderr.write(`mqtt-diagnostics: unknown command '${name}'\n${globalUsage(COMMANDS, true)}\n`);
    return EXIT_USAGE;
  }
  // `serve` catches stop signals before its modules load (seconds on a busy machine): a SIGTERM
  // that early is honoured, never the default exit 143 (or ignored, as PID 1).
  if (spec.name === "serve" && !asksHelp(args)) catchStopSignals();
  return runCommand(spec, args, commands[spec.name]);
}
