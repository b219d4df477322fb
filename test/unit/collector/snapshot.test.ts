import { describe, expect, it } from "vitest";
import { lineOf } from "../../../src/collector/event-model.js";
import { exportDocument } from "../../../src/collector/export-document.js";
import { reduce } from "../../../src/collector/reducer.js";
import { restoreState, snapshotOf } from "../../../src/collector/snapshot.js";
import { snapshotProblem } from "../../../src/collector/snapshot-schema.js";
import { createState } from "../../../src/collector/state.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const ts = (ms: number) => new Date(ms).toISOString();

function busy() {
  const s = createState(5);
  let t = T0;
  for (let i = 0; i < 8; i++) {
    reduce(s, lineOf("connection_success", ts(t), "default", { keep_alive_seconds: 60, event_type: i ? "resumed" : "connected" }), t);
    t += 30_000;
    reduce(
      s,
      lineOf("connection_drop", ts(t), "default", { error_name: ["constructor", "__proto__"][i % 2], error_message: "", error_code: 1, reconnect_attempt: i }),
      t,
    );
    reduce(s, lineOf("connection_failure", ts(t), "default", { error_message: "refused" }), t);
    t += 1_000;
  }
  return { s, t };
}

describe("snapshotOf and restoreState", () => {
  it("carry the whole state through JSON, names like __proto__ included", () => {
    const { s, t } = busy();
    const snap: unknown = JSON.parse(JSON.stringify(snapshotOf(s, t)));
    expect(snapshotProblem(snap)).toBeNull();
    const copy = createState(5);
    restoreState(copy, snap as ReturnType<typeof snapshotOf>);
    expect(JSON.stringify(exportDocument(copy, "default", t))).toBe(JSON.stringify(exportDocument(s, "default", t)));
    expect(copy.dropsByErrorName.get("__proto__")).toBe(4);
    expect(copy.reconnectFromMs).toBe(s.reconnectFromMs);
  });

  it("restore an older checkpoint (no reconnect_from_ms) with the last drop as the reconnect origin", () => {
    const { s, t } = busy();
    const { reconnect_from_ms: _absent, ...old } = snapshotOf(s, t);
    const copy = createState(5);
    restoreState(copy, old);
    expect(copy.reconnectFromMs).toBe(s.lastDropMs);
  });

  it("restore into a smaller retention by keeping the newest records", () => {
    const { s, t } = busy();
    const small = createState(2);
    restoreState(small, snapshotOf(s, t));
    expect(small.drops.last().map((d) => d.reconnect_attempt)).toEqual([6, 7]);
  });
});
