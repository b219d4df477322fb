import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";

/** The CPU model (from /proc/cpuinfo where it can be read) and the core count, read at run time. */
export function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (m?.[1] !== undefined) return `${m[1].trim()} × ${cpus().length}`;
  } catch {
    // not Linux: what Node says
  }
  return `${cpus()[0]?.model ?? "unknown"} × ${cpus().length}`;
}

/** The 1-, 5- and 15-minute load averages, as printed beside each figure. */
export const loadText = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;

/** The value at quantile `q` (0..1) of `values` (nearest rank); NaN when there are none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

/** Milliseconds since `t0` (performance.now()), to 0.1 ms. */
export const since = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
