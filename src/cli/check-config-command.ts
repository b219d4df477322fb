import { UsageError } from "./usage-error.js";

export function checkConfigCommand(_args: string[]): Promise<number> {
  return Promise.reject(new UsageError("'check-config' is not implemented yet"));
}
