/** Distinct values a per-event label may take per connection before the rest become `other`. */
export const MAX_LABEL_VALUES = 64;
export const OVERFLOW_LABEL = "other";

/**
 * Folds a count map into at most `max` label values: the first values seen keep their own
 * series (Map order is insertion order, and restore preserves it), the rest sum into `other`.
 */
export function capLabels(counts: ReadonlyMap<string, number>, max = MAX_LABEL_VALUES): Map<string, number> {
  if (counts.size <= max) return counts as Map<string, number>;
  const out = new Map<string, number>();
  let overflow = 0;
  for (const [label, n] of counts) {
    if (out.size < max - 1) out.set(label, n);
    else overflow += n;
  }
  out.set(OVERFLOW_LABEL, (out.get(OVERFLOW_LABEL) ?? 0) + overflow);
  return out;
}
