/** Routes that take no query parameters say so: an unknown parameter is a mistake to report (400). */
export const NO_QUERY = { type: "object", additionalProperties: false, properties: {} } as const;
