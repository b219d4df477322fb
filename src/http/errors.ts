/** JSON error bodies share one shape: a status word and a reason a person can act on. */
export const errorBodySchema = {
  type: "object",
  properties: { statusCode: { type: "integer" }, error: { type: "string" }, message: { type: "string" } },
  required: ["statusCode", "error", "message"],
} as const;

export function errorBody(statusCode: number, error: string, message: string) {
  return { statusCode, error, message };
}
