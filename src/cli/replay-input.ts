import { closeSync, openSync, readSync, statSync } from "node:fs";
import { UsageError } from "../errors.js";
import { plural } from "../text/plural.js";

const GZIP_MAGIC = [0x1f, 0x8b];
/** Skipped-line warnings printed in full; the rest are counted in one line. */
const MAX_WARNINGS_SHOWN = 10;

/**
 * What replay is given must be a plain journal file: a directory or a compressed file is one
 * line naming the problem, not an EISDIR stack trace or a flood of "corrupt line" warnings.
 * A missing file is left to the reader, which says "journal not found".
 */
export function checkJournalInput(path: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    return;
  }
  if (isDirectory) throw new UsageError(`'${path}' is a directory; give the journal file (e.g. '${path.replace(/\/+$/, "")}/journal.jsonl')`);
  const head = Buffer.alloc(2);
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    readSync(fd, head, 0, 2, 0);
  } catch (err) {
    throw new UsageError(`cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1]) throw new UsageError(`'${path}' is gzip-compressed: decompress first (gunzip -k '${path}')`);
}

/**
 * The reader's warnings, held until the replay is done: a file with no valid line then gets one
 * line saying so, and one with some gets at most ten warnings and a count of the rest.
 */
export class ReplayWarnings {
  private readonly held: string[] = [];
  private skipped = 0;

  readonly logger = {
    warn: (_obj: object, msg?: string) => this.hold(`warning: ${msg ?? ""}`),
    error: (_obj: object, msg?: string) => this.hold(`error: ${msg ?? ""}`),
  };

  private hold(line: string): void {
    if (this.held.length < MAX_WARNINGS_SHOWN) this.held.push(line);
    else this.skipped++;
  }

  /** The first warning, without its prefix (why the first line was skipped). */
  first(): string | undefined {
    return this.held[0]?.replace(/^(warning|error): (journal: )?(skipping )?/, "");
  }

  print(write: (text: string) => void): void {
    for (const line of this.held) write(`${line}\n`);
    if (this.skipped > 0) write(`warning: … and ${plural(this.skipped, "more warning", "more warnings")}\n`);
  }
}
