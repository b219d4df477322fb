// `npm run build`'s second step: bundles the CLI from tsc's output (dist/src) into dist/cli, the
// files the `mqtt-diagnostics` bin runs. Start-up is part of every `replay`'s cost, and most of it
// was Node resolving, loading and linking ~70 ES modules one by one. Three bundles:
// - main.js: the process entry (compile cache, then one of the two below, loaded lazily);
// - replay-main.js: `replay` alone, in one file with no package import;
// - run-cli.js: the dispatcher and every other command, split into chunks so each command still
//   loads only what it uses (packages stay external: node_modules is not bundled).
// The library's entries (package.json's exports) stay unbundled in dist/src.
import { readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import { build } from "esbuild";

const OUT = "dist/cli";

/** `import { a, b as c } from "node:x";` / `import x from "node:x";`, as tsc writes them. */
const BUILTIN_IMPORT = /^import (?:\{([^}]*)\}|(\w+)) from "(node:[\w/]+)";$/gm;

/**
 * `import { a, b as c } from "node:x";` as `const { a, b: c } = process.getBuiltinModule("node:x");`.
 * @param {string} source
 */
function builtinsLookedUp(source) {
  return source.replace(BUILTIN_IMPORT, (_all, /** @type {string | undefined} */ names, /** @type {string} */ name, /** @type {string} */ specifier) => {
    const binding = names === undefined ? name : `{${names.replace(/\s+as\s+/g, ": ")}}`;
    return `const ${binding} = process.getBuiltinModule(${JSON.stringify(specifier)});`;
  });
}

/**
 * Our modules take Node's built-ins with `process.getBuiltinModule`, reading only the exports they
 * use: an ES import of a built-in reads every export of it when its module view is made, and the
 * lazy ones load more of Node (node:util's load streams, worker_threads, the diff printer...; about
 * 4 ms of a 40 ms `replay` start-up). tsc's imports come first in each module, so each binding is
 * set before the module's code runs, as an import would be. Packages are not bundled, so not touched.
 * @type {import("esbuild").Plugin}
 */
const builtinsByName = {
  name: "builtins-by-name",
  setup(b) {
    b.onLoad({ filter: /\/dist\/src\/.*\.js$/ }, (args) => ({
      contents: builtinsLookedUp(readFileSync(args.path, "utf8")),
      loader: "js",
      resolveDir: dirname(args.path),
    }));
  },
};

/** @type {import("esbuild").BuildOptions & { metafile: true }} */
const common = {
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node24",
  packages: "external",
  outdir: OUT,
  logLevel: "warning",
  metafile: true,
  // Stack traces of a crash point into the bundle: `NODE_OPTIONS=--enable-source-maps` maps them back
  // through tsc's maps to src/ (Node reads a map only with that flag: start-up is unchanged).
  sourcemap: "linked",
  sourcesContent: false,
  plugins: [builtinsByName],
};

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
const main = await build({ ...common, entryPoints: { main: "dist/src/main.js" }, plugins: [siblings, builtinsByName] });
const replay = await build({ ...common, entryPoints: { "replay-main": "dist/src/cli/replay-main.js" } });
const dispatcher = await build({ ...common, entryPoints: { "run-cli": "dist/src/cli/run-cli.js" }, splitting: true, chunkNames: "[name]-[hash]" });

const importsOf = (/** @type {import("esbuild").Metafile} */ m) => Object.values(m.outputs).flatMap((o) => o.imports);
// A built-in imported in a form the plugin does not rewrite would bring the cost back unnoticed.
const builtins = [main, replay, dispatcher].flatMap((r) => importsOf(r.metafile)).filter((i) => i.path.startsWith("node:"));
if (builtins.length > 0) throw new Error(`built-ins still imported as ES modules: ${[...new Set(builtins.map((i) => i.path))].join(", ")}`);
// `replay` reads a file and prints a document: it must not load a package.
const packages = importsOf(replay.metafile).map((i) => i.path);
if (packages.length > 0) throw new Error(`the replay bundle imports ${packages.join(", ")}: replay must load no package`);
