/** What jsonOf gives for text that is not JSON. */
export const NOT_JSON: unique symbol = Symbol("not JSON");

/**
 * The JSON value of one line of text, or NOT_JSON: a torn or corrupt line (journal) or a
 * malformed message (lifecycle events) is data to report, never an exception. A symbol rather
 * than a result object, so the journal reader allocates nothing more per line.
 */
export function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}
