import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LifecycleEvent } from "../../../src/aws-join/events.js";
import { lifecycleSection, withServerJoin, withServerReason } from "../../../src/aws-join/export-section.js";
import { LifecycleLedger } from "../../../src/aws-join/ledger.js";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import type { CollectorState } from "../../../src/collector/state.js";
import { diagnose } from "../../../src/diagnosis/engine.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent } from "../../../src/emulator/lifecycle-events.js";
import { RingBuffer } from "../../../src/ring-buffer.js";

// The join's client side is built at AWS's first event for the client ID (before that, a compact
// log keeps the client's events): every output must be what the join built from the first client
// event gives (`eager`), whatever the interleaving, duplicates, late or foreign events, evictions.

const T0 = Date.parse("2026-03-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();
type Kind = "drop" | "success" | "failure" | "stop";
const LINE_KIND = { drop: "connection_drop", success: "connection_success", failure: "connection_failure", stop: "connection_stopped" } as const;
const REASONS = ["MQTT_KEEP_ALIVE_TIMEOUT", "DUPLICATE_CLIENTID", "CLIENT_INITIATED_DISCONNECT", "CONNECTION_LOST"] as const;

type Action =
  | { t: "client"; kind: Kind; dt: number; named: boolean; takenOver: boolean; repeat: number }
  | { t: "back"; dt: number }
  | {
      t: "aws";
      type: "connected" | "disconnected" | "connect_failed";
      session: number;
      foreign: boolean;
      /** AWS's time: from now, or (`about`) from the time of one of the client's recent events. */
      offset: number;
      about: number | undefined;
      reason: number;
      version: number;
      evidence: boolean;
    }
  | { t: "session"; session: number; from: number; to: number; jitter: number; reason: number; evidence: boolean }
  | { t: "dup"; pick: number }
  | { t: "settle"; dt: number }
  | { t: "restore"; withSnapshot: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      t: fc.constant("client" as const),
      kind: fc.constantFrom<Kind>("drop", "success", "failure", "stop", "success", "drop"),
      dt: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 30_000 })),
      named: fc.boolean(),
      takenOver: fc.boolean(),
      repeat: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 8 }) }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("back" as const), dt: fc.integer({ min: 1, max: 20_000 }) }) },
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant("aws" as const),
      type: fc.constantFrom("connected" as const, "disconnected" as const, "connect_failed" as const),
      session: fc.integer({ min: 0, max: 6 }),
      foreign: fc.boolean(),
      offset: fc.integer({ min: -60_000, max: 30_000 }),
      about: fc.option(fc.nat(40), { nil: undefined }),
      reason: fc.nat(REASONS.length - 1),
      version: fc.integer({ min: 1, max: 2 }),
      evidence: fc.boolean(),
    }),
  },
  {
    // One of AWS's sessions about the client's recent events: its connect near one, its close near a later one.
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant("session" as const),
      session: fc.integer({ min: 0, max: 6 }),
      from: fc.nat(12),
      to: fc.nat(12),
      jitter: fc.integer({ min: -2_000, max: 2_000 }),
      reason: fc.nat(REASONS.length - 1),
      evidence: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("dup" as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant("settle" as const), dt: fc.integer({ min: 0, max: 900_000 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant("restore" as const), withSnapshot: fc.boolean() }) },
);

/** A run: the ledgers' capacity, AWS's clock minus the client's, then the actions. */
const run = fc.record({
  capacity: fc.integer({ min: 1, max: 6 }),
  skew: fc.constantFrom(0, 40, 2_000, -1_500, 300_000),
  // Client events only, first: the rebuild at AWS's first event is what is checked.
  prelude: fc.array(fc.record({ kind: fc.constantFrom<Kind>("drop", "success", "failure", "stop"), dt: fc.integer({ min: 0, max: 20_000 }) }), {
    maxLength: 40,
    size: "max",
  }),
  actions: fc.array(action, { minLength: 5, maxLength: 80, size: "max" }),
});

/** The time of one of the client's recent events (0: the newest), or undefined before any. */
const recent = (times: readonly number[], back: number) => times[times.length - 1 - (back % Math.max(1, times.length))];

/** AWS's session about the client's recent events: `connected` near one, `disconnected` near one as late or later. */
function awsSession(a: Extract<Action, { t: "session" }>, skew: number, times: readonly number[]): LifecycleEvent[] {
  const [from, to] = [recent(times, Math.max(a.from, a.to)), recent(times, Math.min(a.from, a.to))];
  if (from === undefined || to === undefined) return [];
  const facts = { clientId: "dev-1", sessionIdentifier: `s-${a.session}`, principalIdentifier: "p", ipAddress: "198.51.100.1", versionNumber: 10 + a.session };
  const reason = REASONS[a.reason] ?? "CONNECTION_LOST";
  return [connectedEvent(facts, from + skew + a.jitter), disconnectedEvent(facts, to + skew + Math.abs(a.jitter), reason)];
}

/** AWS's event for an action; `times`: the client's events' times so far. */
function awsEvent(a: Extract<Action, { t: "aws" }>, now: number, skew: number, times: readonly number[]): LifecycleEvent {
  const facts = {
    clientId: a.foreign ? "dev-2" : "dev-1",
    sessionIdentifier: `s-${a.session}`,
    principalIdentifier: "p",
    ipAddress: "198.51.100.1",
    versionNumber: a.version,
  };
  const about = a.about === undefined ? undefined : recent(times, a.about);
  const at = about === undefined ? now + skew + a.offset : about + skew + Math.round(a.offset / 20);
  if (a.type === "connected") return connectedEvent(facts, at);
  if (a.type === "disconnected") return disconnectedEvent(facts, at, REASONS[a.reason] ?? "CONNECTION_LOST");
  return connectFailedEvent(facts, at);
}

interface Records {
  drop: RingBuffer<object>;
  success: RingBuffer<object>;
  failure: RingBuffer<object>;
}

/** Everything the ledger answers, as of `now`. */
function outputs(ledger: LifecycleLedger, records: Records, now: number) {
  const join = ledger.join(now);
  return {
    byClient: [...join.byClient],
    halfOpen: join.halfOpen,
    foreign: join.foreign,
    foreignFailures: join.foreignFailures,
    pending: join.pending,
    section: lifecycleSection(ledger, now, 1000),
    drops: withServerJoin(records.drop.last(), ledger),
    successes: records.success.last().map((r) => ledger.eventFor(r) ?? null),
    failures: withServerReason(records.failure.last(), ledger),
    snapshot: ledger.snapshot(),
    hasEvents: ledger.hasEvents,
    unattributed: ledger.unattributed,
  };
}

describe("the join built at AWS's first event", () => {
  it("answers exactly as the join built from the first client event, after every step", () => {
    let builtBeforeAws = 0;
    fc.assert(
      fc.property(run, ({ capacity, skew, prelude, actions }) => {
        const lazy = new LifecycleLedger(capacity, 10_000);
        const eager = new LifecycleLedger(capacity, 10_000, { eager: true });
        const records: Records = { drop: new RingBuffer(capacity), success: new RingBuffer(capacity), failure: new RingBuffer(capacity) };
        const sent: { event: LifecycleEvent; evidence: boolean }[] = [];
        let now = T0;
        const both = <T>(f: (l: LifecycleLedger) => T) => expect(f(lazy)).toEqual(f(eager));
        const times: number[] = [];
        const client = (kind: Kind, named: boolean, takenOver: boolean) => {
          times.push(now);
          const ts = iso(now);
          const line = { kind: LINE_KIND[kind], ts, ...(named ? { client_id: "dev-1", transport: "websocket" } : {}) };
          const record = kind === "stop" ? undefined : kind === "drop" ? { timestamp: ts, disconnect_reason_code: takenOver ? 0x8e : null } : { timestamp: ts };
          if (record !== undefined) records[kind as keyof Records].push(record);
          both((l) => l.observe(line, now, record));
        };
        const aws = (event: LifecycleEvent, evidence: boolean) => {
          if (evidence) both((l) => l.add(event));
          else both((l) => l.observe({ kind: "lifecycle", ts: iso(now), connection: "dev-1", ...event }, now, undefined));
        };
        for (const p of prelude) {
          now += p.dt;
          client(p.kind, true, false);
        }
        if (lazy.joinBuilt) builtBeforeAws++;
        for (const a of actions) {
          if (a.t === "client") {
            for (let i = 0; i < a.repeat; i++) {
              now += a.dt;
              client(a.kind, a.named, a.takenOver);
            }
          } else if (a.t === "back") now -= a.dt;
          else if (a.t === "aws") {
            const event = awsEvent(a, now, skew, times);
            sent.push({ event, evidence: a.evidence });
            aws(event, a.evidence);
          } else if (a.t === "session") {
            for (const event of awsSession(a, skew, times)) {
              sent.push({ event, evidence: a.evidence });
              aws(event, a.evidence);
            }
          } else if (a.t === "dup") {
            const again = sent[a.pick % Math.max(1, sent.length)];
            if (again !== undefined) aws({ ...again.event }, again.evidence);
          } else if (a.t === "settle") {
            now += a.dt;
            both((l) => l.settle(now));
          } else {
            const restored = { drop: records.drop.last(), success: records.success.last(), failure: records.failure.last() } as never;
            const snap = a.withSnapshot ? eager.snapshot() : undefined;
            expect(lazy.snapshot()).toEqual(eager.snapshot());
            lazy.restore(snap, restored);
            eager.restore(snap, restored);
          }
          expect(outputs(lazy, records, now)).toEqual(outputs(eager, records, now));
          expect([lazy.clockOffsetMs, lazy.clockOffsetSamples, lazy.foreignSessions]).toEqual([
            eager.clockOffsetMs,
            eager.clockOffsetSamples,
            eager.foreignSessions,
          ]);
        }
      }),
      { numRuns: 400 },
    );
    // Client events in time order, each with its record: the log kept them all.
    expect(builtBeforeAws).toBe(0);
  });
});

/** A collector whose ledger builds the join from the first client event (the reference). */
class EagerCollector extends MqttDiagnosticsCollector {
  constructor(options: ConstructorParameters<typeof MqttDiagnosticsCollector>[0]) {
    super(options);
    const state = this.state as { lifecycle: LifecycleLedger } & Omit<CollectorState, "lifecycle">;
    state.lifecycle = new LifecycleLedger(this.maxEventsRetained, 10_000, { eager: true });
  }
}

describe("a collector with the join built at AWS's first event", () => {
  it("exports and diagnoses exactly as one whose join is built from the first event, across a checkpoint restore", () => {
    fc.assert(
      fc.property(run, ({ capacity, skew, prelude, actions }) => {
        const clocks = [new ManualClock(T0), new ManualClock(T0)];
        const options = (clock: ManualClock) => ({ clock, maxEventsRetained: capacity, connection: "dev-1", lifecycleJoinWindowMs: 10_000 });
        const collectors = [new MqttDiagnosticsCollector(options(clocks[0] as ManualClock)), new EagerCollector(options(clocks[1] as ManualClock))];
        const sent: LifecycleEvent[] = [];
        let now = T0;
        const each = (f: (c: MqttDiagnosticsCollector) => unknown) => collectors.map((c, i) => (clocks[i]?.set(now), f(c)));
        const compare = () => {
          const [a, b] = each((c) => [c.export(1000), diagnose(historyOf(c))]);
          expect(a).toEqual(b);
        };
        const times: number[] = [];
        const client = (kind: Kind, named: boolean) =>
          times.push(now) &&
          each((c) =>
            kind === "success"
              ? c.recordConnectionSuccess(named ? { clientId: "dev-1" } : {})
              : kind === "drop"
                ? c.recordConnectionDrop({ error: { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134, message: "hang-up" } })
                : kind === "failure"
                  ? c.recordConnectionFailure({})
                  : c.recordConnectionStopped(),
          );
        for (const p of prelude) {
          now += p.dt;
          client(p.kind, true);
        }
        for (const a of actions) {
          if (a.t === "client") {
            for (let i = 0; i < a.repeat; i++) {
              now += a.dt;
              client(a.kind, a.named);
            }
          } else if (a.t === "aws") {
            const event = awsEvent(a, now, skew, times);
            sent.push(event);
            each((c) => (a.evidence ? c.addLifecycleEvidence(event) : c.recordLifecycleEvent(event)));
          } else if (a.t === "session") {
            for (const event of awsSession(a, skew, times)) {
              sent.push(event);
              each((c) => (a.evidence ? c.addLifecycleEvidence(event) : c.recordLifecycleEvent(event)));
            }
          } else if (a.t === "dup") {
            const again = sent[a.pick % Math.max(1, sent.length)];
            if (again !== undefined) each((c) => c.recordLifecycleEvent({ ...again }));
          } else if (a.t === "back") now -= a.dt;
          else if (a.t === "settle") {
            now += a.dt;
            each((c) => c.settleLifecycle(now));
          } else if (a.t === "restore") each((c) => c.restoreSnapshot(c.snapshot()));
        }
        compare();
      }),
      { numRuns: 150 },
    );
  });
});
