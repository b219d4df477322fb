/**
 * Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. `what`
 * may be a function, read only on failure (a log that is written meanwhile).
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string | (() => string),
  timeoutMs = 30_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${typeof what === "string" ? what : what()}${lastError instanceof Error ? `: ${lastError.message}` : ""}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
