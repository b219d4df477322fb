/**
 * A small declarative schema: enough to describe journal events and checkpoints once and derive
 * their TypeScript types and their checks from it. Hand-rolled rather than zod because the
 * journal's hot path (a million lines at replay, checkpoints at start-up) must not pay for
 * loading or running a schema library.
 */

/**
 * Scalar types. `name` (error names, event types) and `text` (error messages) are strings that
 * the recorder bounds in length; `count` is a non-negative integer; `iso` a parseable timestamp.
 */
export type ScalarType = "boolean" | "string" | "name" | "text" | "int" | "count" | "number" | "iso";

export interface Field {
  readonly type: ScalarType;
  readonly nullable?: boolean;
  /** May be absent (`?:` in the type); a default, if any, is filled in when reading. */
  readonly optional?: boolean;
  /** Filled in when absent from a journal line. */
  readonly default?: unknown;
  /** Computed by the collector: in its records and checkpoints, never in a journal line. */
  readonly derived?: boolean;
}

export interface CountsSpec {
  readonly type: "counts";
}
export interface ListSpec {
  readonly type: "list";
  readonly of: Spec;
}
export interface ObjectSpec {
  readonly type: "object";
  readonly fields: Readonly<Record<string, Spec>>;
}
export type Spec = Field | CountsSpec | ListSpec | ObjectSpec;

type Scalar<T extends ScalarType> = T extends "boolean" ? boolean : T extends "int" | "count" | "number" ? number : string;

/** Shows a mapped type as one object type (not an intersection) in editors and errors. */
export type Flatten<T> = { [K in keyof T]: T[K] } & {};

type OptionalKeys<F> = { [K in keyof F]: F[K] extends { readonly optional: true } ? K : never }[keyof F];

/** The object type a field table describes: optional fields become `?:`. */
export type InferFields<F> = Flatten<{ -readonly [K in Exclude<keyof F, OptionalKeys<F>>]: Infer<F[K]> } & { -readonly [K in OptionalKeys<F>]?: Infer<F[K]> }>;

/** The TypeScript type a spec describes. */
export type Infer<S> = S extends CountsSpec
  ? Record<string, number>
  : S extends { readonly type: "list"; readonly of: infer O }
    ? Infer<O>[]
    : S extends { readonly type: "object"; readonly fields: infer F }
      ? InferFields<F>
      : S extends { readonly type: infer T extends ScalarType }
        ? Scalar<T> | (S extends { readonly nullable: true } ? null : never)
        : never;

const isCount = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v) && v >= 0;

/** The check of each scalar type (without null). */
const SCALAR_CHECKS: Readonly<Record<ScalarType, (v: unknown) => boolean>> = {
  boolean: (v) => typeof v === "boolean",
  string: (v) => typeof v === "string",
  name: (v) => typeof v === "string",
  text: (v) => typeof v === "string",
  int: (v) => typeof v === "number" && Number.isInteger(v),
  count: isCount,
  number: (v) => typeof v === "number" && Number.isFinite(v),
  iso: (v) => typeof v === "string" && !Number.isNaN(Date.parse(v)),
};

const EXPECTED: Readonly<Record<ScalarType, string>> = {
  boolean: "a boolean",
  string: "a string",
  name: "a string",
  text: "a string",
  int: "an integer",
  count: "a non-negative integer",
  number: "a finite number",
  iso: "an ISO 8601 timestamp",
};

/** A field's check, null and absence included as the field allows them. */
export function fieldCheck(field: Field): (v: unknown) => boolean {
  const scalar = SCALAR_CHECKS[field.type];
  const absent = field.optional === true || field.default !== undefined;
  if (field.nullable === true) return absent ? (v) => v === undefined || v === null || scalar(v) : (v) => v === null || scalar(v);
  return absent ? (v) => v === undefined || scalar(v) : scalar;
}

export interface Problem {
  path: string;
  message: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Checks a value against a spec; returns the first problem, or null. Reads own properties only
 * (`Object.hasOwn`), so keys like `__proto__` or `constructor` are data, never the prototype.
 */
export function findProblem(spec: Spec, value: unknown, path = ""): Problem | null {
  switch (spec.type) {
    case "counts": {
      if (!isPlainObject(value)) return { path, message: "must be an object of counts" };
      for (const key of Object.keys(value)) if (!isCount(value[key])) return { path: `${path}.${key}`, message: `must be ${EXPECTED.count}` };
      return null;
    }
    case "list": {
      if (!Array.isArray(value)) return { path, message: "must be a list" };
      for (let i = 0; i < value.length; i++) {
        const p = findProblem(spec.of, value[i], `${path}.${i}`);
        if (p !== null) return p;
      }
      return null;
    }
    case "object": {
      if (!isPlainObject(value)) return { path, message: "must be an object" };
      for (const key of Object.keys(spec.fields)) {
        const field = spec.fields[key] as Spec;
        const v = Object.hasOwn(value, key) ? value[key] : undefined;
        if (v === undefined && "optional" in field && field.optional === true) continue;
        const p = findProblem(field, v, path === "" ? key : `${path}.${key}`);
        if (p !== null) return p;
      }
      return null;
    }
    default:
      if (value === null && spec.nullable === true) return null;
      return SCALAR_CHECKS[spec.type](value) ? null : { path, message: `must be ${EXPECTED[spec.type]}${spec.nullable === true ? " or null" : ""}` };
  }
}
