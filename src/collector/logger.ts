/** The slice of a pino logger the core uses; `console` fits too. */
export interface LoggerLike {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
