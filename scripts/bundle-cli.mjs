// `npm run build`'s second step: bundles the CLI from tsc's output (dist/src) into dist/cli, the
// files the `mqtt-diagnostics` bin runs. Start-up is part of every `replay`'s cost, and most of it
// was Node resolving, loading and linking ~70 ES modules one by one. Three bundles:
// - main.js: the process entry (compile cache, then one of the two below, loaded lazily);
// - replay-main.js: `replay` alone, in one file with no package import;
// - run-cli.js: the dispatcher and every other command, split into chunks so each command still
//   loads only what it uses (packages stay external: node_modules is not bundled).
// The library's entries (package.json's exports) stay unbundled in dist/src.
import { rmSync } from "node:fs";
import { build } from "esbuild";

const OUT = "dist/cli";
/** @type {import("esbuild").BuildOptions & { metafile: true }} */
const common = { bundle: true, format: "esm", platform: "node", target: "node24", packages: "external", outdir: OUT, logLevel: "warning", metafile: true };

/**
 * main.js imports the other two bundles as siblings: `./cli/run-cli.js` becomes `./run-cli.js`.
 * @type {import("esbuild").Plugin}
 */
const siblings = {
  name: "cli-siblings",
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\/(run-cli|replay-main)\.js$/ }, (args) => ({ path: args.path.replace("./cli/", "./"), external: true }));
  },
};

rmSync(OUT, { recursive: true, force: true });
await build({ ...common, entryPoints: { main: "dist/src/main.js" }, plugins: [siblings] });
const replay = await build({ ...common, entryPoints: { "replay-main": "dist/src/cli/replay-main.js" } });
await build({ ...common, entryPoints: { "run-cli": "dist/src/cli/run-cli.js" }, splitting: true, chunkNames: "[name]-[hash]" });

// `replay` reads a file and prints a document: it must not load a package (nor be split).
const imports = Object.values(replay.metafile.outputs).flatMap((o) => o.imports);
const outside = imports.filter((i) => !i.path.startsWith("node:")).map((i) => i.path);
if (outside.length > 0) throw new Error(`the replay bundle imports ${outside.join(", ")}: replay must load no package`);
