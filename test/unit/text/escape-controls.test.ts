import { describe, expect, it } from "vitest";
import { escapeControls, escapeControlsDeep } from "../../../src/text/escape-controls.js";

describe("escapeControls", () => {
  it("writes C0 controls, DEL and C1 controls out visibly", () => {
    expect(escapeControls("198.51.100.7\r")).toBe("198.51.100.7\\r");
    expect(escapeControls("a\nb\tc")).toBe("a\\nb\\tc");
    expect(escapeControls("\u001b[2J\u0007\u0000\b")).toBe("\\x1b[2J\\x07\\x00\\x08");
    expect(escapeControls("x\u007fy\u0085z\u009b31m")).toBe("x\\x7fy\\x85z\\x9b31m");
  });

  it("writes out line separators, zero-width characters, bidi marks, overrides and isolates, and the BOM", () => {
    expect(escapeControls("a\u2028b\u2029c")).toBe("a\\u2028b\\u2029c");
    expect(escapeControls("heater\u202e1-gpj.exe")).toBe("heater\\u202e1-gpj.exe");
    expect(escapeControls("\u200b\u200e\u200f\u202a\u202d\u2066\u2069\u061c\ufeff")).toBe("\\u200b\\u200e\\u200f\\u202a\\u202d\\u2066\\u2069\\u061c\\ufeff");
  });

  it("keeps everything else as it is, other Unicode included", () => {
    for (const text of ["", "AWS_IO_SOCKET_CLOSED", "héater-1 — ü ✓ 漢字 😀", "back\\slash", "DIAGNOSIS: 1 drop"]) expect(escapeControls(text)).toBe(text);
    // The same answer on every call (no regular-expression state carried over).
    expect([escapeControls("\r"), escapeControls("\r"), escapeControls("ok")]).toEqual(["\\r", "\\r", "ok"]);
  });
});

describe("escapeControlsDeep", () => {
  it("escapes every string of a document, keys included, and keeps the rest", () => {
    const doc = {
      connection: "c\u001b",
      total: 3,
      ok: true,
      none: null,
      by_error: { "AWS\r": 2 },
      lifecycle: { foreign_sessions: { recent: [{ ip_address: "203.0.113.9\r", at: 5 }] } },
    };
    expect(escapeControlsDeep(doc)).toEqual({
      connection: "c\\x1b",
      total: 3,
      ok: true,
      none: null,
      by_error: { "AWS\\r": 2 },
      lifecycle: { foreign_sessions: { recent: [{ ip_address: "203.0.113.9\\r", at: 5 }] } },
    });
    expect(doc.connection).toBe("c\u001b");
  });
});
