import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./errors.js";

/**
 * Reads a YAML file named by a flag; a missing file or bad YAML is a ConfigError naming the flag.
 * Aliases are bounded so a "billion laughs" file is an error, not a hang.
 */
export function readYamlFile(file: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(flag, `cannot read '${file}' (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  try {
    return parseYaml(text, { maxAliasCount: 100, logLevel: "error" });
  } catch (err) {
    throw new ConfigError(flag, `'${file}' is not valid YAML: ${(err as Error).message.split("\n")[0] ?? ""}`);
  }
}
