import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { FleetState } from "../../../src/fleet/fleet-state.js";
import { fleetRoutes, wantsHtml } from "../../../src/http/fleet-plugin.js";

const T = 1_780_000_000_000;
const facts = (id: string, n: number) => ({
  clientId: id,
  sessionIdentifier: `${id}-${n}`,
  principalIdentifier: "p",
  ipAddress: "198.51.100.1",
  versionNumber: n,
});

async function app() {
  const clock = new ManualClock(T + 60_000);
  const state = new FleetState(clock);
  for (const id of ["a", "b", "c"]) {
    state.apply({ kind: "lifecycle", clientId: id, event: connectedEvent(facts(id, 1), T), receivedAt: T });
    if (id !== "c") state.apply({ kind: "lifecycle", clientId: id, event: disconnectedEvent(facts(id, 1), T + 1000, "THROTTLED"), receivedAt: T });
  }
  state.refresh({ all: true });
  // As the service builds its app: unknown query parameters are refused, not stripped.
  const a = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false, coerceTypes: true } } });
  a.setErrorHandler(async (error: Error & { validation?: unknown }, _req, reply) =>
    reply.code(error.validation !== undefined ? 400 : 500).send({ message: error.message }),
  );
  await a.register(fleetRoutes, { state, clock });
  return a;
}

describe("the fleet routes", () => {
  it("/fleet/devices lists a cause's devices, a page at a time", async () => {
    const a = await app();
    const first = await a.inject("/fleet/devices?cause=server_throttling&limit=1");
    expect(first.statusCode).toBe(200);
    const body = first.json<{ devices: { client_id: string }[]; next_cursor: string; total: number }>();
    expect([body.devices.map((d) => d.client_id), body.total]).toEqual([["a"], 2]);
    const second = (await a.inject(`/fleet/devices?cause=server_throttling&limit=1&cursor=${body.next_cursor}`)).json<{
      devices: { client_id: string }[];
      next_cursor: string | null;
    }>();
    expect([second.devices.map((d) => d.client_id), second.next_cursor]).toEqual([["b"], null]);
    await a.close();
  });

  it("/fleet/devices/{clientId} is the device's export document with its diagnosis", async () => {
    const a = await app();
    const r = await a.inject("/fleet/devices/a");
    const doc = r.json<{ recent_drops: { server_reason: string }[]; diagnosis: { findings: { cause: string }[] }; fleet: { cause: string; drops: number } }>();
    expect(doc.recent_drops.map((d) => d.server_reason)).toEqual(["THROTTLED"]);
    expect(doc.diagnosis.findings[0]?.cause).toBe("server_throttling");
    expect(doc.fleet).toMatchObject({ cause: "server_throttling", drops: 1 });
    expect((await a.inject("/fleet/devices/zzz")).statusCode).toBe(404);
    await a.close();
  });

  it.each(["cause=nope", "sort=size", "limit=1001", "cursor=bm9wZQ", "extra=1"])("refuses ?%s with 400 and a reason", async (q) => {
    const a = await app();
    const r = await a.inject(`/fleet/devices?${q}`);
    expect(r.statusCode).toBe(400);
    expect(r.json<{ message: string }>().message).toMatch(/querystring/);
    await a.close();
  });

  it("/fleet/devices/{clientId} is a page for a browser (Accept or ?format=html), the JSON document otherwise", async () => {
    const a = await app();
    const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    const page = await a.inject({ url: "/fleet/devices/a", headers: { accept: browser } });
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.headers["vary"]).toBe("accept");
    expect(page.body).toContain('First cause: <strong class="cause">server_throttling</strong>');
    expect(page.body).toContain('href="/fleet/devices/a?format=json"');
    const json = await a.inject({ url: "/fleet/devices/a?format=json", headers: { accept: browser } });
    expect(json.json<{ fleet: { cause: string } }>().fleet.cause).toBe("server_throttling");
    expect((await a.inject("/fleet/devices/a?format=html")).headers["content-type"]).toBe("text/html; charset=utf-8");
    const bad = await a.inject("/fleet/devices/a?format=xml");
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ message: string }>().message).toMatch(/querystring\/format/);
    await a.close();
  });

  it("/fleet/devices is a page for a browser too; a bad format is a 400", async () => {
    const a = await app();
    const page = await a.inject({ url: "/fleet/devices?cause=server_throttling", headers: { accept: "text/html" } });
    expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(page.body).toContain('<a href="/fleet/devices/a">a</a>');
    expect((await a.inject({ url: "/fleet/devices?format=json", headers: { accept: "text/html" } })).json<{ total: number }>().total).toBe(3);
    expect((await a.inject("/fleet/devices?format=csv")).statusCode).toBe(400);
    await a.close();
  });

  it.each([
    [undefined, undefined, false],
    [undefined, "*/*", false],
    [undefined, "application/json", false],
    [undefined, "text/html", true],
    [undefined, "application/json, text/html", false],
    [undefined, "text/html;q=0.9, application/json", true],
    ["json", "text/html", false],
    ["html", "application/json", true],
  ] as const)("wantsHtml(%s, %s) is %s", (format, accept, html) => {
    expect(wantsHtml(format, accept)).toBe(html);
  });
});
