import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../src/collector/collector.js";
import { ConfigError } from "../../src/config/errors.js";
import { loadConfigFile, validateConfig } from "../../src/config/load.js";
import { parseJournalLine, toJournalEvent } from "../../src/journal/parse.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

const dir = mkdtempSync(join(tmpdir(), "mde-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("fuzz: the config loader gives a clear error or a config, never a crash", () => {
  it("for any value", () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        try {
          validateConfig(value, dir);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as Error).message).toMatch(/^[^\n]+: [^\n]+$/);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("for config-shaped values with adversarial leaves", () => {
    const leaf = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant("__proto__"), fc.array(fc.string()));
    const connection = fc.dictionary(
      fc.constantFrom(
        "name",
        "endpoint",
        "port",
        "client_id",
        "protocol",
        "tls",
        "keep_alive_seconds",
        "ping_timeout_ms",
        "reconnect",
        "probe",
        "constructor",
        "__proto__",
      ),
      leaf,
    );
    fc.assert(
      fc.property(fc.record({ connections: fc.array(connection, { maxLength: 3 }), journal: fc.option(fc.dictionary(fc.string(), leaf)) }), (value) => {
        try {
          validateConfig(value, dir);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("for any file content", () => {
    const file = join(dir, "fuzz.yml");
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "binary" }),
          fc.constant("a: &a [*a, *a]\nb: *a\n"),
          fc.constant("connections: [{endpoint: x, client_id: y, keep_alive_seconds: !!str 60}]"),
        ),
        (text) => {
          writeFileSync(file, text);
          try {
            loadConfigFile(file);
          } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("fuzz: the journal reader skips what it cannot use, never crashes", () => {
  it("for any line", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.json()), (line) => {
        const r = parseJournalLine(line);
        expect(typeof r.ok).toBe("boolean");
      }),
      { numRuns: 2000 },
    );
  });

  it("for journal-shaped objects with adversarial values, and applying what parses", () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.object());
    const line = fc.record({
      ts: fc.oneof(
        fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4_000_000_000_000) }).map((d) => d.toISOString()),
        fc.string(),
      ),
      kind: fc.constantFrom(
        "connection_success",
        "connection_drop",
        "publish",
        "connection_failure",
        "connection_attempt",
        "connection_stopped",
        "probe",
        "checkpoint",
        "__proto__",
        "constructor",
      ),
      connection: fc.option(fc.string(), { nil: undefined }),
      event_type: value,
      error_name: value,
      error_message: value,
      error_code: value,
      reconnect_attempt: value,
      queued: value,
      rtt_seconds: value,
      disconnect_reason_code: value,
    });
    const collector = new MqttDiagnosticsCollector({ clock: new ManualClock(0), logger: { warn: () => undefined, error: () => undefined } });
    fc.assert(
      fc.property(line, (l) => {
        const r = toJournalEvent(JSON.parse(JSON.stringify(l)));
        if (r.ok) collector.apply(r.event);
        expect(() => collector.export()).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

describe("fuzz: HTTP query parsing answers 200, 400 or 404, never 500", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(["heater-1"]);
  });
  afterAll(async () => t.close());

  it("for any query string on /diagnostics.json and /metrics", async () => {
    const key = fc.oneof(fc.constantFrom("connection", "limit", "format", "__proto__", "constructor"), fc.string({ maxLength: 20 }));
    const val = fc.oneof(fc.string({ maxLength: 300 }), fc.integer().map(String), fc.constantFrom("", "-1", "1e3", "0x10", "NaN", "[]", "heater-1"));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, val), { maxLength: 4 }), fc.constantFrom("/diagnostics.json", "/metrics", "/"), async (pairs, path) => {
        const qs = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
        const r = await t.app.inject({ method: "GET", url: `${path}?${qs}` });
        expect([200, 400, 404]).toContain(r.statusCode);
      }),
      { numRuns: 400 },
    );
  });
});
