import { z } from "zod";
import { configSchema } from "./schema.js";

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  required?: string[];
  anyOf?: JsonSchema[];
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(" \\| ");
  const t = Array.isArray(s.type) ? s.type.join("|") : (s.type ?? "");
  const range = s.minimum !== undefined && s.maximum !== undefined ? ` (${s.minimum}–${s.maximum})` : "";
  return `${t === "array" ? "list" : t}${range}`;
}

function rows(schema: JsonSchema, prefix: string, required: Set<string>, out: string[]): void {
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const path = `${prefix}${key}`;
    const def = child.default === undefined ? (required.has(key) ? "required" : "—") : `\`${JSON.stringify(child.default)}\``;
    const isObject = child.type === "object" && child.properties !== undefined;
    const isList = child.type === "array" && child.items?.properties !== undefined;
    out.push(
      `| \`${path}\` | ${isObject ? "mapping" : typeOf(child)} | ${isObject && child.default !== undefined ? "see below" : def} | ${(child.description ?? "").replace(/\|/g, "\\|")} |`,
    );
    if (isObject) rows(child, `${path}.`, new Set(child.required ?? []), out);
    if (isList && child.items) rows(child.items, `${path}[].`, new Set(child.items.required ?? []), out);
  }
}

/** The settings table of docs/configuration.md, generated from the schema so the two never disagree. */
export function settingsTable(): string {
  const schema = z.toJSONSchema(configSchema, { io: "input" }) as JsonSchema;
  const out = ["| setting | type | default | meaning |", "|---|---|---|---|"];
  rows(schema, "", new Set(schema.required ?? []), out);
  return `${out.join("\n")}\n`;
}
