/** Distinct values a per-event label may take per connection before the rest become `other`. */
export const MAX_LABEL_VALUES = 64;
export const OVERFLOW_LABEL = "other";
/** Longest label value kept (UTF-16 units); aws-crt error names are under 60. */
export const MAX_LABEL_VALUE_LENGTH = 128;
const TRUNCATED = "...";

/**
 * A label value of at most MAX_LABEL_VALUE_LENGTH: a longer one (a 5 MB `error_name` from a
 * misbehaving SDK or a crafted journal) keeps its start and ends in `...`, never half a
 * surrogate pair (that would not be valid UTF-8 in the exposition).
 */
export function boundLabelValue(value: string, max = MAX_LABEL_VALUE_LENGTH): string {
  if (value.length <= max) return value;
  let end = max - TRUNCATED.length;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}${TRUNCATED}`;
}

/**
 * Folds a count map into at most `max` label values of bounded length: the first values seen
 * keep their own series (Map order is insertion order, and restore preserves it), values that
 * are equal once bounded are summed, and the rest sum into `other`.
 */
export function capLabels(counts: ReadonlyMap<string, number>, max = MAX_LABEL_VALUES): Map<string, number> {
  let bounded = counts as Map<string, number>;
  for (const label of counts.keys()) {
    if (label.length > MAX_LABEL_VALUE_LENGTH) {
      bounded = new Map();
      for (const [l, n] of counts) {
        const b = boundLabelValue(l);
        bounded.set(b, (bounded.get(b) ?? 0) + n);
      }
      break;
    }
  }
  if (bounded.size <= max) return bounded;
  const out = new Map<string, number>();
  let overflow = 0;
  for (const [label, n] of bounded) {
    if (out.size < max - 1) out.set(label, n);
    else overflow += n;
  }
  out.set(OVERFLOW_LABEL, (out.get(OVERFLOW_LABEL) ?? 0) + overflow);
  return out;
}
