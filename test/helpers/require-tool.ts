import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

/** program -> Debian package, from the lists scripts/test.sh and scripts/image-test.sh install from. */
const PACKAGES = new Map(
  ["test-tools.txt", "image-tools.txt"]
    .flatMap((list) => readFileSync(fileURLToPath(new URL(`../../scripts/${list}`, import.meta.url)), "utf8").split("\n"))
    .map((line) => line.replace(/#.*/, "").trim().split(/\s+/))
    .filter((fields): fields is [string, string] => fields.length === 2),
);
// Daemons such as mosquitto live in sbin, which is not on every user's PATH.
const SBIN = ["/usr/local/sbin", "/usr/sbin", "/sbin"];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** MOSQUITTO_BIN, PROMTOOL_BIN, DOCKER_COMPOSE_BIN, ...: a program elsewhere than on the PATH. */
export function toolEnvName(program: string): string {
  return `${program.toUpperCase().replace(/\W/g, "_")}_BIN`;
}

/**
 * The path of a program the test needs. A missing one fails the test with the Debian package to
 * install, never skips it: a suite that passes because it ran nothing proves nothing.
 */
export function requireTool(program: string): string {
  const pkg = PACKAGES.get(program);
  if (pkg === undefined) throw new Error(`${program}: not listed in scripts/test-tools.txt or scripts/image-tools.txt`);
  const override = process.env[toolEnvName(program)];
  const dirs = [...(process.env["PATH"] ?? "").split(delimiter).filter((d) => d !== ""), ...SBIN];
  const found = override !== undefined ? [override] : dirs.map((d) => join(d, program));
  const path = found.find(executable);
  if (path === undefined) {
    const where = override !== undefined ? `${toolEnvName(program)}=${override} is not executable` : "not found on the PATH or in sbin";
    throw new Error(`${program} is missing (${where}): install the Debian package '${pkg}' (apt-get install ${pkg}; npm test installs it)`);
  }
  return path;
}
