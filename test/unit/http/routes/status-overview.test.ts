import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../../src/clock.js";
import { CollectorRegistry } from "../../../../src/collector/registry.js";
import { overviewHtml, overviewRow, planPage } from "../../../../src/http/routes/status-overview.js";
import { hangup, T0 } from "../../../helpers/app.js";

function registryOf(n: number): CollectorRegistry {
  const registry = new CollectorRegistry({ clock: new ManualClock(T0), maxEventsRetained: 10 });
  for (let i = 0; i < n; i++) registry.getOrCreate(`c${i}`).recordConnectionSuccess();
  return registry;
}

describe("planPage", () => {
  it("details every connection, with no overview, when there are few", () => {
    const all = registryOf(3).all();
    expect(planPage(all, 3, 10)).toEqual({ detailed: all, overview: [], total: 3 });
  });

  it("past the cap: disconnected first, then the most drops and failures, then configuration order", () => {
    const registry = registryOf(6);
    registry.get("c4")?.recordConnectionDrop({ error: hangup });
    registry.get("c2")?.recordConnectionFailure({ error: hangup });
    registry.get("c2")?.recordConnectionSuccess();
    const c5 = registry.get("c5");
    c5?.recordConnectionDrop({ error: hangup });
    c5?.recordConnectionSuccess();
    c5?.recordConnectionDrop({ error: hangup });
    c5?.recordConnectionSuccess();
    const plan = planPage(registry.all(), 2, 4);
    const names = (cs: { connection: string }[]) => cs.map((c) => c.connection);
    expect(names(plan.detailed)).toEqual(["c4", "c5"]);
    expect(names(plan.overview)).toEqual(["c4", "c5", "c2", "c0"]);
    expect(plan.total).toBe(6);
  });

  it("escapes names in rows and says how many were left out", () => {
    const registry = registryOf(0);
    const c = registry.getOrCreate("<b>");
    expect(overviewRow(c, true, "links")).toContain('<a href="#%3Cb%3E">&#60;b&#62;</a>');
    expect(overviewRow(c, false, "")).toContain("<td>&#60;b&#62;</td>");
    const links = { prefix: "/diag", metrics: true, diagnostics: true, diagnosis: false };
    const html = overviewHtml({ detailed: [], overview: [c], total: 5 }, ["<tr></tr>"], links);
    expect(html).toContain("5 connections.");
    expect(html).toContain("4 more connections not listed");
    expect(html).toContain("<code>/diag/diagnostics.json?connection=NAME</code>");
    expect(html).not.toContain("diagnosis.json");
    expect(html).toContain('<a href="/diag/metrics">');
  });
});
