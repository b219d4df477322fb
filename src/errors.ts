/**
 * A mistake in how the command was called or configured: one line on stderr, exit code 2.
 * At the bottom of the import graph, so config, service and cli all throw it without any of
 * them importing upwards.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export const EXIT_USAGE = 2;
