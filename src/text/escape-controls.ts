/**
 * Characters a terminal acts on or hides instead of printing: C0 controls (CR, ESC, BS, …), DEL,
 * C1 controls (U+0080-U+009F, CSI among them), the line and paragraph separators, zero-width
 * characters, the bidirectional marks, embeddings, overrides and isolates, and the BOM.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Readonly<Record<string, string>> = { "\t": "\\t", "\n": "\\n", "\r": "\\r" };

function visible(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/**
 * A text from outside (a journal line, an AWS lifecycle event) made safe to print on a terminal:
 * each control or invisible formatting character is written out visibly (`\r`, `\x1b`, `\u202e`);
 * everything else, other Unicode included, is kept.
 */
export function escapeControls(text: string): string {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text) ? text.replace(UNSAFE, visible) : text;
}

/** `value` with every string in it, keys included, passed through `escapeControls` (numbers etc. kept). */
export function escapeControlsDeep<T>(value: T): T {
  if (typeof value === "string") return escapeControls(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => escapeControlsDeep(v)) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[escapeControls(k)] = escapeControlsDeep(v);
    return out as T;
  }
  return value;
}
