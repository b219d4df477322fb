import { UsageError } from "./usage-error.js";

export function serveCommand(_args: string[]): Promise<number> {
  return Promise.reject(new UsageError("'serve' is not implemented yet"));
}
