import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The built CLI as the `mqtt-diagnostics` bin runs it: the bundled entry (`npm test` builds first: see the `pretest` script). */
export const MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export function runMain(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  const r = spawnSync(process.execPath, [MAIN, ...args], {
    encoding: "utf8",
    timeout: options.timeoutMs ?? 30_000,
    env: { ...process.env, ...options.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
