import { ConfigError } from "../../config/errors.js";

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration (`1s`, `1m30s`, `250ms`, `0`) in milliseconds, as the toolkit's YAML reads it. */
export function parseGoDuration(value: string | 0, setting: string): number {
  if (value === 0 || value === "0") return 0;
  const parts = /^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h)/;
  let rest = value;
  let ms = 0;
  if (rest === "") throw new ConfigError(setting, "is empty; write a duration like 1s or 250ms");
  while (rest !== "") {
    const m = parts.exec(rest);
    if (m === null) throw new ConfigError(setting, `'${value}' is not a duration like 1s, 250ms or 1m30s`);
    const unit = /(ns|us|µs|μs|ms|s|m|h)$/.exec(m[0])?.[1] ?? "s";
    ms += Number(m[0].slice(0, -unit.length)) * (UNITS[unit] ?? 0);
    rest = rest.slice(m[0].length);
  }
  return ms;
}

/**
 * `rate_limit`: one token bucket for the whole server, as exporter-toolkit's (a request every
 * `interval`, bursts of `burst`). `now` is injectable for the tests.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly intervalMs: number,
    private readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes a token: undefined when allowed, else the seconds to wait (for Retry-After). */
  take(): number | undefined {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + (t - this.last) / this.intervalMs);
    this.last = t;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil(((1 - this.tokens) * this.intervalMs) / 1000));
  }
}
