import { catchStopSignals } from "./stop-signals.js";
import { EXIT_USAGE, UsageError } from "../errors.js";

type Command = (args: string[]) => Promise<number>;

// Each command lives in its own module, loaded only when used, so `replay` starts without the
// SDK or the HTTP server.
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import("./serve-command.js")).serveCommand,
  replay: async () => (await import("./replay-command.js")).replayCommand,
  "check-config": async () => (await import("./check-config-command.js")).checkConfigCommand,
};

export const USAGE = `usage: mqtt-diagnostics [serve] [--config FILE] [--web.listen-address HOST:PORT] [...]
       mqtt-diagnostics replay JOURNAL [--at ISO] [--max-events N] [--connection NAME] [--lifecycle FILE] [--format json|text]
       mqtt-diagnostics check-config [FILE] [--web.config.file FILE]
       mqtt-diagnostics --help | --version`;

export async function runCli(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h" || first === "help") {
    process.stdout.write(`${USAGE}\n`);
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
  const load = commands[name];
  if (load === undefined) {
    process.stderr.write(`mqtt-diagnostics: unknown command '${name}'\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  // `serve` catches stop signals before its modules load (seconds on a busy machine): a SIGTERM
  // that early is honoured, never the default exit 143 (or ignored, as PID 1).
  if (name === "serve") catchStopSignals();
  try {
    return await (await load())(args);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`mqtt-diagnostics ${name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}
