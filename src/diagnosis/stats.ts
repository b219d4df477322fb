export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Coefficient of variation: spread relative to the mean (0 = identical values). */
export function cv(xs: readonly number[]): number {
  if (xs.length < 2) return NaN;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (mean === 0) return NaN;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
  return Math.sqrt(variance) / mean;
}

/** Confidence from the amount of evidence: `base` at `n = min`, approaching `max` as n grows. */
export function confidenceFrom(n: number, min: number, base: number, max = 0.95): number {
  if (n < min) return 0;
  return Math.min(max, base + (max - base) * (1 - Math.exp(-(n - min) / 3)));
}

export const fmtSeconds = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 120 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(1)} s`);
