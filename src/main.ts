#!/usr/bin/env node
import { enableCompileCacheSafely } from "./cli/compile-cache.js";

// Before anything else is loaded, so every module after this one can come from the compile cache.
enableCompileCacheSafely();
const { runCli } = await import("./cli/run-cli.js");

const code = await runCli(process.argv.slice(2));
// Native MQTT clients may hold the event loop open after a clean stop; everything that must be
// written has been by now, so leave with the command's code once stdout has drained.
process.stdout.write("", () => process.exit(code));
