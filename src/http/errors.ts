/** JSON error bodies share one shape: a status word and a reason a person can act on. */
export function errorBody(statusCode: number, error: string, message: string) {
  return { statusCode, error, message };
}
