import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { replayDocument, replayJournal } from "../../../src/replay/replay.js";
import { AwsSide } from "../../helpers/lifecycle-builder.js";

const dir = mkdtempSync(join(tmpdir(), "mde-session-join-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined };
let n = 0;

/** The replay document of a scenario: `live` the journal with the observer's lines; else the client's journal and AWS's exported file. */
async function replay(s: AwsSide, how: "live" | "file" | "alone", dropEvent?: Parameters<AwsSide["file"]>[0]) {
  const path = join(dir, `j${++n}.jsonl`);
  writeFileSync(path, how === "live" ? s.journal() : s.clientJournal());
  const lifecycle = how === "file" ? join(dir, `l${n}.jsonl`) : undefined;
  if (lifecycle !== undefined) writeFileSync(lifecycle, s.file(dropEvent));
  // Ten minutes after the last event: every window has passed.
  const r = await replayJournal({ journal: path, atMs: s.t + 900_000, logger: quiet, ...(lifecycle ? { lifecycle } : {}) });
  return replayDocument(r);
}

const causes = (d: Awaited<ReturnType<typeof replay>>) => d.diagnosis.findings.map((f) => f.cause);

/** Keep-alive `ka`: the path goes silent; aws-crt gives up one keep-alive after its last write plus its ping timeout, AWS 1.5 x keep-alive after the last packet. */
function silentPath(ka: number, pingTimeout: number, skewMs = 0): AwsSide {
  const s = new AwsSide({ skewMs });
  for (let i = 0; i < 4; i++) {
    s.connect(ka).wait(3 * ka + 17 * i); // the last packets
    s.wait(ka + pingTimeout).drop("ping");
    s.awsCloses("MQTT_KEEP_ALIVE_TIMEOUT", 0.5 * ka - pingTimeout);
    s.wait(Math.max(0, 0.5 * ka - pingTimeout) + 30)
      .failure()
      .wait(5);
  }
  return s.connect(ka).wait(60);
}

/** After a NAT reset (every ~340 s) the client reconnects in 2 s, before AWS noticed: AWS closes our stale session for our own newcomer. */
function natResets(skewMs = 0): AwsSide {
  const s = new AwsSide({ skewMs });
  for (let i = 0; i < 6; i++)
    s.connect(240)
      .wait(340 + i * 1.5)
      .drop("ping")
      .wait(2);
  return s.connect(240).wait(60);
}

describe("the join by session identity", () => {
  it.each([
    ["live", 1200, 3],
    ["file", 1200, 3],
    ["live", 30, 30],
    ["file", 30, 30],
  ] as const)("keep-alive expiry (%s, keep-alive %i s, ping timeout %i s): AWS's late or early event joins the drop", async (how, ka, ping) => {
    const d = await replay(silentPath(ka, ping), how);
    expect(d.recent_drops.map((x) => [x.server_reason, x.server_outcome])).toEqual(Array(4).fill(["MQTT_KEEP_ALIVE_TIMEOUT", "keep_alive_expiry"]));
    for (const x of d.recent_drops) expect(x.server_delay_seconds).toBeCloseTo(0.5 * ka - ping, 0);
    expect([d.lifecycle.half_open, d.lifecycle.foreign_sessions.total, d.lifecycle.unattributed]).toEqual([[], 0, []]);
    expect(d.lifecycle.clock_offset_ms).toBe(-40);
    const evidence = d.diagnosis.findings.flatMap((f) => f.evidence).join(" ");
    expect(evidence).toContain("the path went silent");
    if (ka === 1200) expect(evidence).toContain("with a keep-alive of 300 s AWS would notice a silent path 22.5 min sooner");
  });

  it.each(["live", "file"] as const)("self-takeover after NAT resets (%s): our stale session replaced by our reconnect, not another device", async (how) => {
    const s = natResets();
    const alone = await replay(s, "alone");
    const d = await replay(s, how);
    expect(causes(alone)[0]).toBe("nat_idle_timeout");
    expect(causes(d)[0]).toBe("nat_idle_timeout");
    expect(causes(d)).not.toContain("duplicate_client_id");
    expect(d.recent_drops.map((x) => x.server_outcome)).toEqual(Array(6).fill("self_takeover"));
    expect(d.lifecycle.foreign_sessions.total).toBe(0);
    expect(d.diagnosis.findings[0]?.evidence.join(" ")).toMatch(
      /self-takeover, not another device\): AWS kept the dead session open a median 2\.\d s after the client's drop/,
    );
  });

  it.each([
    ["+4 s", 4_000],
    ["-4 s", -4_000],
    ["+2 min", 120_000],
    ["-2 min", -120_000],
  ])("a client clock off by %s joins everything, live and from a file, and says so", async (_name, skew) => {
    for (const how of ["live", "file"] as const) {
      const d = await replay(natResets(skew), how);
      expect(
        d.recent_drops.map((x) => x.server_outcome),
        how,
      ).toEqual(Array(6).fill("self_takeover"));
      expect(d.lifecycle.foreign_sessions.total, how).toBe(0);
      expect(d.lifecycle.clock_offset_ms, how).toBe(skew - 40);
      expect(d.lifecycle.clock_offset_warning, how).toContain(skew > 0 ? "behind" : "ahead of");
      const k = await replay(silentPath(1200, 3, skew), how);
      expect(
        k.recent_drops.map((x) => x.server_outcome),
        how,
      ).toEqual(Array(4).fill("keep_alive_expiry"));
    }
  });

  it("another device with our client ID is foreign (its IP the evidence); its takeover is duplicate_client_id", async () => {
    const s = new AwsSide();
    for (let i = 0; i < 3; i++)
      s.connect()
        .wait(600)
        .foreign(`203.0.113.${i + 1}`)
        .wait(0.05)
        .drop("hangup")
        .wait(5);
    s.connect().wait(60);
    for (const how of ["live", "file"] as const) {
      const d = await replay(s, how);
      expect(
        d.recent_drops.map((x) => [x.server_reason, x.server_outcome]),
        how,
      ).toEqual(Array(3).fill(["DUPLICATE_CLIENTID", "foreign_takeover"]));
      expect(
        d.lifecycle.foreign_sessions.recent.map((f) => f.ip_address),
        how,
      ).toEqual(["203.0.113.1", "203.0.113.2", "203.0.113.3"]);
      expect(causes(d)[0], how).toBe("duplicate_client_id");
    }
  });

  it("missing events leave drops unexplained (not half-open, not foreign); other client IDs' events are not ours", async () => {
    const s = natResets().otherClient("device-2");
    // AWS's file lost every third event.
    let i = 0;
    const d = await replay(s, "file", () => i++ % 3 === 1);
    expect(d.lifecycle.foreign_sessions.total).toBe(0);
    expect(d.lifecycle.half_open).toEqual([]);
    expect(d.recent_drops.filter((x) => x.server_outcome === "self_takeover").length).toBeGreaterThan(0);
    expect(causes(d)[0]).toBe("nat_idle_timeout");
  });

  it("half-open: AWS closed our session and the client has not seen it end", async () => {
    const s = new AwsSide().connect(1200).wait(600).awsCloses("CONNECTION_LOST").wait(120);
    const d = await replay(s, "live");
    expect(d.lifecycle.half_open.map((h) => h.disconnect_reason)).toEqual(["CONNECTION_LOST"]);
  });

  it("mixed reasons rank by weight: 6 CONNECTION_LOST and 2 THROTTLED read network first", async () => {
    const s = new AwsSide();
    for (let i = 0; i < 6; i++)
      s.connect()
        .wait(200 + 613 * i)
        .drop("hangup")
        .awsCloses("CONNECTION_LOST", -0.2)
        .wait(3 + i);
    for (let i = 0; i < 2; i++)
      s.connect()
        .wait(20 + i)
        .drop("hangup")
        .awsCloses("THROTTLED", -0.1)
        .wait(2);
    const d = await replay(s.connect().wait(60), "live");
    expect(causes(d).slice(0, 2)).toEqual(["network_unstable", "server_throttling"]);
  });

  it.each([
    ["websocket", "aws_connection_ttl"],
    [undefined, "fixed_session_lifetime"],
  ] as const)("fixed 24 h lifetimes, transport %s: %s, never nat_idle_timeout", async (transport, cause) => {
    const s = new AwsSide(transport === undefined ? {} : { transport });
    for (let i = 0; i < 6; i++)
      s.connect(300)
        .wait(86_400 + (i % 3) * 4 - 5)
        .drop("hangup")
        .awsCloses(transport ? "WEBSOCKET_TTL_EXPIRATION" : "CONNECTION_LOST", -0.3)
        .wait(2);
    for (const how of ["alone", "live"] as const) {
      const d = await replay(s.connect(300).wait(60), how);
      expect(causes(d)[0], how).toBe(cause);
      expect(causes(d), how).not.toContain("nat_idle_timeout");
    }
  });
});
