import { closeSync, openSync, readSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./errors.js";

/**
 * The largest configuration file read: 1000 connections with certificate paths and probes take
 * about 300 kB. A larger file is refused before it is read, let alone parsed (a YAML parse of tens
 * of megabytes takes minutes and gigabytes).
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;

function codeOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? "error";
}

/** At most `limit` bytes of the file, read in chunks so a FIFO or /dev/zero cannot make it read forever. */
function readBounded(file: string, flag: string, limit: number): string {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (err) {
    throw new ConfigError(flag, `cannot read '${file}' (${codeOf(err)})`);
  }
  try {
    const buf = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, length, buf.length - length, null);
      } catch (err) {
        if (codeOf(err) === "EISDIR") throw new ConfigError(flag, `'${file}' is a directory, not a YAML file`);
        throw new ConfigError(flag, `cannot read '${file}' (${codeOf(err)})`);
      }
      if (n === 0) break;
      length += n;
      if (length > limit) throw new ConfigError(flag, `'${file}' is larger than ${limit} bytes; a configuration is a few kB`);
    }
    return buf.toString("utf8", 0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a YAML file named by a flag; a missing, oversized or non-file path, or bad YAML, is a
 * ConfigError naming the flag. `check` sees the text before it is parsed (cheap bounds).
 * Aliases are bounded so a "billion laughs" file is an error, not a hang.
 */
export function readYamlFile(file: string, flag: string, check?: (text: string) => void): unknown {
  const text = readBounded(file, flag, MAX_CONFIG_BYTES);
  check?.(text);
  try {
    return parseYaml(text, { maxAliasCount: 100, logLevel: "error" });
  } catch (err) {
    throw new ConfigError(flag, `'${file}' is not valid YAML: ${(err as Error).message.split("\n")[0] ?? ""}`);
  }
}
