import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { allPanels, type ExportedDashboard } from "../../dashboards/src/export-envelope.js";
import { DASHBOARD_FILES } from "../../dashboards/src/generate.js";
import { deriveJsonSchemas, type SchemaRoot } from "../../dashboards/src/schema/derive-json-schema.js";

/** Panel plugins the dashboards use, with the SDK types of their `options` and `fieldConfig.defaults.custom`. */
const PANEL_TYPES: Record<string, { options: string; custom?: string }> = {
  timeseries: { options: "Options", custom: "FieldConfig" },
  stat: { options: "Options" },
  table: { options: "Options", custom: "FieldConfig" },
  heatmap: { options: "Options", custom: "FieldConfig" },
  bargauge: { options: "Options" },
  piechart: { options: "Options", custom: "FieldConfig" },
};
/** Query types by datasource type. */
const QUERY_TYPES: Record<string, SchemaRoot> = {
  prometheus: { module: "prometheus", type: "Dataquery" },
  cloudwatch: { module: "cloudwatch", type: "MetricsQuery" },
};

const roots: SchemaRoot[] = [
  { module: "dashboard", type: "Dashboard" },
  ...Object.values(QUERY_TYPES),
  ...Object.entries(PANEL_TYPES).flatMap(([module, t]) => [{ module, type: t.options }, ...(t.custom ? [{ module, type: t.custom }] : [])]),
];
const { $defs, roots: schemas } = deriveJsonSchemas(roots);
const ajv = new Ajv2020({ allErrors: true, strict: false });
ajv.addSchema({ $id: "sdk", $defs });
const validator = (key: string): ValidateFunction => {
  const ref = (schemas[key] as { $ref?: string }).$ref;
  return ajv.compile(ref ? { $ref: `sdk${ref}` } : schemas[key]!);
};
const errorsOf = (v: ValidateFunction, data: unknown): string[] =>
  v(data) ? [] : (v.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);

describe("the schema derived from the foundation SDK's types", () => {
  it("rejects what Grafana's model does not allow", () => {
    const v = validator("dashboard.Dashboard");
    expect(v({ schemaVersion: 42, templating: {}, annotations: {} })).toBe(true);
    expect(v({ schemaVersion: "42", templating: {}, annotations: {} })).toBe(false);
    expect(v({ schemaVersion: 42, templating: {}, annotations: {}, pannels: [] })).toBe(false);
    expect(v({ schemaVersion: 42, templating: {}, annotations: {}, panels: [{ type: "stat", gridPos: { x: 0, y: 0, w: "wide", h: 4 } }] })).toBe(false);
    expect(v({ schemaVersion: 42, templating: {}, annotations: {}, graphTooltip: 7 })).toBe(false);
  });
});

describe.each(Object.keys(DASHBOARD_FILES))("%s validates against it", (name) => {
  const d = JSON.parse(readFileSync(fileURLToPath(new URL(`../../dashboards/${name}`, import.meta.url)), "utf8")) as ExportedDashboard;

  it("as a dashboard model (the import envelope's __inputs/__requires aside)", () => {
    const { __inputs: _i, __requires: _r, ...model } = d;
    expect(errorsOf(validator("dashboard.Dashboard"), model)).toEqual([]);
  });

  it("panel by panel: options and custom field config against the plugin's types, targets against the datasource's query type", () => {
    for (const p of allPanels(d)) {
      if (p.type === "row") continue;
      const plugin = PANEL_TYPES[p.type];
      expect(plugin, `no schema for panel type ${p.type}`).toBeDefined();
      const panel = p as {
        options?: unknown;
        fieldConfig?: { defaults?: { custom?: unknown } };
        targets?: { datasource?: { type?: string } }[];
        title?: string;
      };
      expect(errorsOf(validator(`${p.type}.${plugin!.options}`), panel.options), `${panel.title} options`).toEqual([]);
      if (plugin!.custom && panel.fieldConfig?.defaults?.custom !== undefined) {
        expect(errorsOf(validator(`${p.type}.${plugin!.custom}`), panel.fieldConfig.defaults.custom), `${panel.title} custom`).toEqual([]);
      }
      for (const t of panel.targets ?? []) {
        const q = QUERY_TYPES[t.datasource?.type ?? ""];
        expect(q, `${panel.title}: datasource type`).toBeDefined();
        expect(errorsOf(validator(`${q!.module}.${q!.type}`), t), `${panel.title} target`).toEqual([]);
      }
    }
  });
});
