/**
 * Where a process's resident memory lies, from /proc/PID/smaps: the bench's attribution of RSS
 * beyond what process.memoryUsage() says. Each mapping is sorted by what backs it:
 *  - `binary`: the node executable's pages (file-backed, shared with any other node process);
 *  - `crt`: aws-crt's native module (the SDK's .node file);
 *  - `files`: every other file mapping (shared libraries, ICU data);
 *  - `brk`: `[heap]`, glibc malloc's main arena (what the main thread mallocs, and what it keeps after a free);
 *  - `arenas`: anonymous mappings that start on a 64 MiB boundary and, with the reserved
 *    (`---p`) mapping right after them, span 64 MiB: glibc's per-thread malloc arenas (aws-crt's
 *    event-loop threads, libuv's pool, V8's workers) — a heuristic, but nothing else maps that shape;
 *  - `anon`: every other anonymous mapping (V8's heap and code, thread stacks, malloc's
 *    separate mmaps of large blocks such as Buffers).
 * `anonymous` and `fileBacked` split RSS by the kernel's own `Anonymous:` count instead.
 */
export interface SmapsProfile {
  rss: number;
  anonymous: number;
  fileBacked: number;
  binary: number;
  crt: number;
  files: number;
  brk: number;
  arenas: number;
  anon: number;
}

const ARENA = 64 * 2 ** 20;

interface Mapping {
  start: number;
  end: number;
  perms: string;
  path: string;
  rss: number;
  anonymous: number;
}

function mappings(smaps: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of smaps.split("\n")) {
    const head = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head !== null) {
      out.push({
        start: Number.parseInt(head[1] ?? "0", 16),
        end: Number.parseInt(head[2] ?? "0", 16),
        perms: head[3] ?? "",
        path: head[4] ?? "",
        rss: 0,
        anonymous: 0,
      });
      continue;
    }
    const field = /^(Rss|Anonymous):\s+(\d+) kB$/.exec(line);
    const m = out.at(-1);
    if (field === null || m === undefined) continue;
    const bytes = Number(field[2]) * 1024;
    if (field[1] === "Rss") m.rss = bytes;
    else m.anonymous = bytes;
  }
  return out;
}

/** The profile of one smaps text (`/proc/PID/smaps`), in bytes; `executable` is the node binary's path. */
export function smapsProfile(smaps: string, executable: string): SmapsProfile {
  const p: SmapsProfile = { rss: 0, anonymous: 0, fileBacked: 0, binary: 0, crt: 0, files: 0, brk: 0, arenas: 0, anon: 0 };
  const list = mappings(smaps);
  list.forEach((m, i) => {
    p.rss += m.rss;
    p.anonymous += m.anonymous;
    const next = list[i + 1];
    if (m.path === executable) p.binary += m.rss;
    else if (m.path.includes("aws-crt")) p.crt += m.rss;
    else if (m.path.startsWith("/")) p.files += m.rss;
    else if (m.path === "[heap]") p.brk += m.rss;
    else if (
      m.path === "" &&
      m.start % ARENA === 0 &&
      (m.end - m.start === ARENA || (next !== undefined && next.start === m.end && next.perms === "---p" && next.path === "" && next.end - m.start === ARENA))
    )
      p.arenas += m.rss;
    else p.anon += m.rss;
  });
  p.fileBacked = p.rss - p.anonymous;
  return p;
}
