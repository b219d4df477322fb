import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

/**
 * Grafana ships no JSON Schema for the dashboard model in @grafana/schema or the foundation SDK;
 * both ship TypeScript types generated from Grafana's CUE schemas. This derives a JSON Schema
 * (draft 2020-12) from those `.d.ts` files with the TypeScript checker, so validation follows the
 * installed SDK version. The mapping, and where it is looser than Grafana itself:
 * - interfaces and object types become objects with their properties, `required` for the
 *   non-optional ones and `additionalProperties: false` (unknown keys are errors);
 *   `Record<string, X>` / index signatures become `additionalProperties: X`;
 * - string/number/boolean/null, literal types and enums become `type`/`const`/`enum`; unions
 *   become `anyOf`; arrays and tuples become arrays;
 * - `any`/`unknown` accept anything (Panel.options, FieldConfig.custom and the datasource query
 *   variant `cog.Dataquery` are open in the types: callers validate those against the plugin's
 *   own `Options`/query type, derived the same way);
 * - methods (the SDK's `_implements…Variant` markers) are ignored, as JSON cannot carry them.
 */
export interface SchemaRoot {
  /** Subpath export of @grafana/grafana-foundation-sdk, e.g. `dashboard`, `prometheus`. */
  module: string;
  /** An exported interface or type alias of that module's `types.gen.d.ts`. */
  type: string;
}

export type JsonSchema = Record<string, unknown>;

const require = createRequire(import.meta.url);

export function sdkTypesFile(module: string): string {
  // The package exports no `./package.json`; resolve a subpath export and walk up to dist/.
  const dist = dirname(dirname(require.resolve("@grafana/grafana-foundation-sdk/dashboard")));
  return join(dist, module, "types.gen.d.ts");
}

/** One schema per root (`$ref` into a shared `$defs`), keyed `module.Type`. */
export function deriveJsonSchemas(roots: SchemaRoot[]): { $defs: Record<string, JsonSchema>; roots: Record<string, JsonSchema> } {
  const files = [...new Set(roots.map((r) => sdkTypesFile(r.module)))];
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  });
  const checker = program.getTypeChecker();
  const pkgDist = dirname(dirname(sdkTypesFile("dashboard")));
  const $defs: Record<string, JsonSchema> = {};

  const defName = (symbol: ts.Symbol): string | undefined => {
    const decl = symbol.declarations?.[0];
    if (!decl || !(ts.isInterfaceDeclaration(decl) || ts.isTypeAliasDeclaration(decl) || ts.isEnumDeclaration(decl))) return undefined;
    const module = relative(pkgDist, dirname(decl.getSourceFile().fileName)).split(/[\\/]/)[0] ?? "";
    return `${module}.${symbol.getName()}`;
  };

  const literalValue = (t: ts.Type): string | number | boolean | null | undefined => {
    if (t.isStringLiteral() || t.isNumberLiteral()) return t.value;
    if (t.flags & ts.TypeFlags.BooleanLiteral) return checker.typeToString(t) === "true";
    if (t.flags & ts.TypeFlags.Null) return null;
    return undefined;
  };

  const objectSchema = (t: ts.Type): JsonSchema => {
    if (checker.isArrayType(t) || checker.isTupleType(t)) {
      const args = checker.getTypeArguments(t as ts.TypeReference);
      return { type: "array", items: args.length === 1 ? toSchema(args[0]!) : { anyOf: args.map(toSchema) } };
    }
    const props = checker.getPropertiesOfType(t);
    // A pure variant marker (`cog.Dataquery`: only `_implementsDataqueryVariant()`) stands for
    // any plugin's query; it stays open here and callers validate the concrete query type.
    if (props.length > 0 && props.every((p) => /^_implements\w*Variant$/.test(p.getName()))) return { type: "object" };
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const prop of props) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      if (decl && (ts.isMethodSignature(decl) || ts.isMethodDeclaration(decl))) continue;
      const propType = decl ? checker.getTypeOfSymbolAtLocation(prop, decl) : checker.getTypeOfSymbol(prop);
      if (propType.getCallSignatures().length > 0) continue;
      properties[prop.getName()] = toSchema(propType);
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.getName());
    }
    const index = checker.getIndexInfosOfType(t)[0];
    return {
      type: "object",
      properties,
      ...(required.length ? { required } : {}),
      additionalProperties: index ? toSchema(index.type) : false,
    };
  };

  const inline = (t: ts.Type): JsonSchema => {
    if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (t.flags & ts.TypeFlags.String) return { type: "string" };
    if (t.flags & ts.TypeFlags.Number) return { type: "number" };
    if (t.flags & ts.TypeFlags.Boolean) return { type: "boolean" };
    if (t.flags & ts.TypeFlags.Null) return { type: "null" };
    const literal = literalValue(t);
    if (literal !== undefined) return { const: literal };
    if (t.isUnion()) {
      const members = t.types.filter((m) => !(m.flags & ts.TypeFlags.Undefined));
      const literals = members.map(literalValue);
      if (literals.every((l) => l !== undefined)) {
        const values = [...new Set(literals)];
        return values.length === 2 && values.includes(true) && values.includes(false) ? { type: "boolean" } : { enum: values };
      }
      return members.length === 1 ? toSchema(members[0]!) : { anyOf: members.map(toSchema) };
    }
    if (t.isIntersection()) return { allOf: t.types.map(toSchema) };
    if (t.flags & ts.TypeFlags.Object) return objectSchema(t);
    throw new Error(`cannot map type ${checker.typeToString(t)} to JSON Schema`);
  };

  function toSchema(t: ts.Type): JsonSchema {
    const symbol =
      t.aliasSymbol ??
      (t.flags & ts.TypeFlags.Object && !checker.isArrayType(t) && !checker.isTupleType(t) ? t.getSymbol() : undefined) ??
      (t.flags & ts.TypeFlags.EnumLiteral && t.isUnion() ? t.getSymbol() : undefined);
    const name = symbol && !t.aliasTypeArguments ? defName(symbol) : undefined;
    if (name === undefined) return inline(t);
    if (!(name in $defs)) {
      $defs[name] = {};
      $defs[name] = inline(t);
    }
    return { $ref: `#/$defs/${name}` };
  }

  const out: Record<string, JsonSchema> = {};
  for (const root of roots) {
    const source = program.getSourceFile(sdkTypesFile(root.module));
    const moduleSymbol = source && checker.getSymbolAtLocation(source);
    const exported = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.getName() === root.type);
    if (!exported) throw new Error(`${root.module}.${root.type} is not exported by the SDK`);
    const type = checker.getDeclaredTypeOfSymbol(exported);
    out[`${root.module}.${root.type}`] = toSchema(type);
  }
  return { $defs, roots: out };
}
