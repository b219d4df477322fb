import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiagnoser, type Diagnoser } from "../../../../src/diagnosis/diagnoser.js";
import { STATUS_PAGE_MAX_ROWS, STATUS_PAGE_MAX_SECTIONS } from "../../../../src/http/routes/status-overview.js";
import { hangup, startTestApp } from "../../../helpers/app.js";
import { recordSessions, startRetainingApp, type BigApp } from "../../../helpers/history.js";

describe("GET / (the status page)", () => {
  it("serves an index linking the other endpoints", async () => {
    const t = await startTestApp(["heater-1", "pump-2"]);
    try {
      const index = await t.app.inject({ method: "GET", url: "/" });
      expect(index.statusCode).toBe(200);
      expect(index.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(index.body).toContain('href="/metrics"');
      expect(index.body).toContain('<section id="pump-2">');
    } finally {
      await t.close();
    }
  });

  it("escapes connection names and error text, and shows the diagnoser's verdict", async () => {
    const t = await startTestApp(["<b>x</b>"], (registry) => ({ diagnoser: createDiagnoser(registry) }));
    try {
      const c = t.registry.getOrCreate("<b>x</b>");
      c.recordConnectionSuccess();
      t.clock.advance(60_000);
      c.recordConnectionDrop({ error: { ...hangup, error_name: "<script>" } });
      const body = (await t.app.inject({ method: "GET", url: "/" })).body;
      expect(body).not.toContain("<b>x</b>");
      expect(body).not.toContain("<script>");
      expect(body).toContain("&#60;b&#62;x&#60;/b&#62;");
      expect(body).toContain('href="/diagnostics.json?connection=%3Cb%3Ex%3C%2Fb%3E"');
      expect(body).toMatch(/<p class="verdict insufficient_data">Not enough data: |<ol class="findings">/);
    } finally {
      await t.close();
    }
  });

  it("says so when no connection is configured", async () => {
    const t = await startTestApp([]);
    try {
      expect((await t.app.inject({ method: "GET", url: "/" })).body).toContain("<p>No connections configured.</p>");
    } finally {
      await t.close();
    }
  });

  it("shows the sections it is given (fleet mode's) above the connections; with no connection, says the process reads those", async () => {
    const t = await startTestApp([], { statusSections: [() => '<section id="fleet">the fleet</section>'] });
    try {
      const body = (await t.app.inject({ method: "GET", url: "/" })).body;
      expect(body).toContain('<section id="fleet">the fleet</section>\n<p>No watched connection: this process reads the fleet above.</p>');
      expect(body).not.toContain("No connections configured");
    } finally {
      await t.close();
    }
  });
});

// issue 11: with max_events_retained 200000, `GET /` answered 500 (a spread over 125k times).
describe("a history of 125,000 sessions", () => {
  const RETAINED = 200_000;
  const CYCLES = 125_000;
  let big: BigApp;
  beforeAll(async () => {
    big = await startRetainingApp(RETAINED);
    recordSessions(big.collector, big.clock, CYCLES, { sessionMs: (i) => 20_000 + (i % 7) * 1000, gapMs: 1_000 });
  }, 120_000);
  afterAll(async () => big.close());

  it("GET / answers 200 with a timeline of bounded size", async () => {
    const r = await big.app.inject({ method: "GET", url: "/" });
    expect(r.statusCode).toBe(200);
    const svg = /<svg class="timeline"[\s\S]*?<\/svg>/.exec(r.body)?.[0] ?? "";
    expect((svg.match(/<(rect|line) /g) ?? []).length).toBeLessThanOrEqual(2 * 760 + 1);
    expect(r.body.length).toBeLessThan(400_000);
  });
});

// issue 21: at 1,000 connections the page was 3 MB (a section per connection), rendered in one go
// while /healthz waited.
describe("many connections", () => {
  const N = 400;
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let diagnoser: Diagnoser;
  /** Called by the page for each section it renders (see the ordering test). */
  let onDiagnose: () => void = () => undefined;
  beforeAll(async () => {
    t = await startTestApp(
      Array.from({ length: N }, (_, i) => `c${i}`),
      (registry) => {
        diagnoser = createDiagnoser(registry);
        return { diagnoser: (name) => (onDiagnose(), diagnoser(name)) };
      },
    );
    for (const [i, c] of t.registry.all().entries()) {
      for (let k = 0; k < 40; k++) {
        c.recordConnectionSuccess();
        t.clock.advance(1000);
        c.recordConnectionDrop({ error: { ...hangup, error_name: `AWS_ERROR_${k % (1 + (i % 9))}` } });
      }
      if (i % 3 === 0) c.recordConnectionSuccess();
    }
  }, 120_000);
  afterAll(async () => t.close());

  it("details at most STATUS_PAGE_MAX_SECTIONS connections and lists at most STATUS_PAGE_MAX_ROWS, linking the JSON", async () => {
    const r = await t.app.inject({ method: "GET", url: "/" });
    expect(r.statusCode).toBe(200);
    expect((r.body.match(/<section /g) ?? []).length).toBe(STATUS_PAGE_MAX_SECTIONS);
    expect((r.body.match(/<tr><td><a href="#|<tr><td>c/g) ?? []).length).toBe(STATUS_PAGE_MAX_ROWS);
    expect(r.body).toContain(`${N - STATUS_PAGE_MAX_ROWS} more connections not listed`);
    expect(r.body).toContain("/diagnostics.json?connection=NAME");
    // The disconnected ones come first: every detailed connection is down.
    expect((r.body.match(/<h2>c\d+ <span class="down">/g) ?? []).length).toBe(STATUS_PAGE_MAX_SECTIONS);
  });

  it("answers /healthz while it renders: the health check's response arrives before the page's", async () => {
    const address = await t.app.listen({ host: "127.0.0.1", port: 0 });
    const order: string[] = [];
    let health: Promise<void> | undefined;
    // The first section being rendered: the page is under way when /healthz is asked.
    onDiagnose = () => {
      health ??= fetch(`${address}/healthz`).then(async (r) => void order.push(`healthz ${r.status} ${await r.text()}`));
    };
    try {
      // The page's headers go out once it is rendered whole; /healthz's body is complete.
      const page = fetch(`${address}/`).then((r) => {
        order.push(`page ${r.status}`);
        return r.text();
      });
      expect(await page).toContain("</html>");
      await health;
      expect(order).toEqual(['healthz 200 {"status":"ok"}', "page 200"]);
    } finally {
      onDiagnose = () => undefined;
    }
  });
});

// issue 20: with one connection and a long history, the diagnosis and the section it heads are
// the page's two large pieces; /healthz is answered between them, not after both.
describe("one connection", () => {
  it("answers /healthz between the diagnosis and the section it heads", async () => {
    const order: string[] = [];
    let health: Promise<unknown> | undefined;
    const t = await startTestApp(["heater-1"], (registry) => {
      const diagnoser = createDiagnoser(registry);
      return {
        diagnoser: (name) => {
          const d = diagnoser(name);
          order.push("diagnosis");
          health ??= t.app.inject({ method: "GET", url: "/healthz" }).then((r) => order.push(`healthz ${r.statusCode}`));
          // The section reads the verdict first: the moment it starts.
          return d === undefined
            ? d
            : new Proxy(d, { get: (o, k): unknown => (k === "status" && !order.includes("section") && order.push("section"), Reflect.get(o, k)) });
        },
      };
    });
    try {
      expect((await t.app.inject({ method: "GET", url: "/" })).statusCode).toBe(200);
      await health;
      expect(order).toEqual(["diagnosis", "healthz 200", "section"]);
    } finally {
      await t.close();
    }
  });
});
