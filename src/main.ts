#!/usr/bin/env node
import { enableCompileCacheSafely } from "./cli/compile-cache.js";

// Before anything else is loaded, so every module after this one can come from the compile cache.
enableCompileCacheSafely();
const argv = process.argv.slice(2);
// `replay` runs from its own entry (one module once built), the other commands from the dispatcher.
const code =
  argv[0] === "replay" ? await (await import("./cli/replay-main.js")).runReplay(argv.slice(1)) : await (await import("./cli/run-cli.js")).runCli(argv);
// Native MQTT clients may hold the event loop open after a clean stop; everything that must be
// written has been by now, so leave with the command's code once stdout has drained.
process.stdout.write("", () => process.exit(code));
