import { UsageError } from "./usage-error.js";

export function replayCommand(_args: string[]): Promise<number> {
  return Promise.reject(new UsageError("'replay' is not implemented yet"));
}
