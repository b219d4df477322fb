import type { LifecycleEvent } from "../../src/aws-join/events.js";
import { connectFailedEvent, connectedEvent, disconnectedEvent, type SessionFacts } from "../../src/emulator/lifecycle-events.js";
import type { EvidenceMessage } from "../../src/fleet/records.js";

/**
 * A small fleet with a known mix of causes, each timed as AWS IoT Core times it (the AWS IoT
 * developer guide, "Lifecycle events"; issue 20 for the keep-alive and takeover timings), and the
 * cause a correct diagnosis names for each device: the truth fleet-replay is checked against.
 */
export const SCENARIOS = ["keep_alive_expiry", "self_takeover", "duplicate_client_id", "throttling", "policy_denial", "websocket_ttl", "healthy"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The cause each scenario must be diagnosed as (self-takeover: the path reset that made the device reconnect, not a stolen client ID). */
export const TRUTH: Readonly<Record<Scenario, string>> = {
  keep_alive_expiry: "network_unstable",
  self_takeover: "network_unstable",
  duplicate_client_id: "duplicate_client_id",
  throttling: "server_throttling",
  policy_denial: "auth_or_policy",
  websocket_ttl: "aws_connection_ttl",
  healthy: "healthy",
};

export interface FleetPlay {
  events: LifecycleEvent[];
  evidence: EvidenceMessage[];
  truth: Map<string, string>;
  scenarioOf: Map<string, Scenario>;
}

/** A deterministic PRNG (mulberry32): the same seed plays the same fleet. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Device {
  id: string;
  n: number;
  events: LifecycleEvent[];
  lines: Record<string, unknown>[];
  ip: string;
}

const KEEP_ALIVE_S = 20;
/** The aws-iot-device-sdk-v2 versions the devices that ship evidence name, in turn. */
export const SDK_VERSIONS = ["1.21.0", "1.20.1", "1.19.0"] as const;
const PING_TIMEOUT_S = 5;
const DAY_MS = 86_400_000;

function session(d: Device, ip = d.ip): SessionFacts {
  d.n++;
  return { clientId: d.id, sessionIdentifier: `${d.id}-s${d.n}`, principalIdentifier: `cert-${d.id}`, ipAddress: ip, versionNumber: d.n };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** One device's events from `t0`, with `rand` for irregular gaps. */
function play(scenario: Scenario, d: Device, t0: number, rand: () => number, shipEvidence: boolean): void {
  let t = t0;
  const ev = d.events;
  if (scenario === "keep_alive_expiry") {
    // The path goes silent; the client gives up a keep-alive plus its ping timeout after its last
    // write, AWS at 1.5 x keep-alive after the last packet it received.
    for (let i = 0; i < 4; i++) {
      const s = session(d);
      ev.push(connectedEvent(s, t));
      const silentAt = t + 60_000 + Math.floor(rand() * 900_000);
      ev.push(disconnectedEvent(s, silentAt + 1.5 * KEEP_ALIVE_S * 1000, "MQTT_KEEP_ALIVE_TIMEOUT"));
      if (shipEvidence) {
        d.lines.push({ ts: iso(t), kind: "connection_success", client_id: d.id, keep_alive_seconds: KEEP_ALIVE_S });
        d.lines.push({
          ts: iso(silentAt + (KEEP_ALIVE_S + PING_TIMEOUT_S) * 1000),
          kind: "connection_drop",
          error_name: "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT",
          error_code: 5153,
        });
      }
      t = silentAt + 60_000 + Math.floor(rand() * 30_000);
    }
  } else if (scenario === "self_takeover") {
    // A NAT reset: the client reconnects from the same address before AWS noticed the old
    // connection died, and AWS closes the old session as DUPLICATE_CLIENTID.
    let s = session(d);
    ev.push(connectedEvent(s, t));
    for (let i = 0; i < 4; i++) {
      t += 120_000 + Math.floor(rand() * 600_000);
      const next = session(d);
      ev.push(connectedEvent(next, t + 8_000));
      ev.push(disconnectedEvent(s, t + 8_040, "DUPLICATE_CLIENTID"));
      s = next;
    }
  } else if (scenario === "duplicate_client_id") {
    // Two devices with one client ID, from two addresses, knocking each other off.
    const other = `203.0.113.${1 + (d.n % 200)}`;
    for (let i = 0; i < 4; i++) {
      const mine = session(d);
      ev.push(connectedEvent(mine, t));
      t += 20_000 + Math.floor(rand() * 20_000);
      const theirs = session(d, other);
      ev.push(connectedEvent(theirs, t));
      ev.push(disconnectedEvent(mine, t + 30, "DUPLICATE_CLIENTID"));
      t += 5_000 + Math.floor(rand() * 5_000);
      ev.push(disconnectedEvent(theirs, t + 30, "DUPLICATE_CLIENTID"));
    }
  } else if (scenario === "throttling" || scenario === "websocket_ttl") {
    const [reason, length] = scenario === "throttling" ? (["THROTTLED", 30_000] as const) : (["WEBSOCKET_TTL_EXPIRATION", DAY_MS] as const);
    for (let i = 0; i < 3; i++) {
      const s = session(d);
      ev.push(connectedEvent(s, t));
      t += length + Math.floor(rand() * (scenario === "throttling" ? 60_000 : 2_000));
      ev.push(disconnectedEvent(s, t, reason));
      t += 1_000 + Math.floor(rand() * 3_000);
    }
  } else if (scenario === "policy_denial") {
    for (let i = 0; i < 3; i++) {
      ev.push(connectFailedEvent(session(d), t));
      t += 1_000 * 2 ** i + Math.floor(rand() * 1_000);
    }
  } else {
    const s = session(d);
    ev.push(connectedEvent(s, t));
  }
}

export interface FleetOptions {
  /** Devices per scenario. */
  perScenario: number;
  seed?: number;
  t0?: number;
  /** Share of AWS events delivered twice (AWS may). */
  duplicateShare?: number;
  /** Deliver each device's events shuffled (AWS: "might be sent out of order"). */
  shuffle?: boolean;
  /** Keep-alive devices with an odd index ship their own evidence. */
  evidence?: boolean;
  /** Index of the first device of each scenario (default 0): a large fleet is played in chunks. */
  firstIndex?: number;
}

/** The fleet: devices `SCENARIO-N`, AWS's events (duplicated and shuffled as asked), evidence, truth. */
export function fleetPlay(o: FleetOptions): FleetPlay {
  const rand = prng(o.seed ?? 23);
  const out: FleetPlay = { events: [], evidence: [], truth: new Map(), scenarioOf: new Map() };
  for (const scenario of SCENARIOS) {
    for (let i = o.firstIndex ?? 0; i < (o.firstIndex ?? 0) + o.perScenario; i++) {
      const d: Device = { id: `${scenario}-${i}`, n: 0, events: [], lines: [], ip: `198.51.100.${1 + (i % 250)}` };
      play(
        scenario,
        d,
        (o.t0 ?? 1_780_000_000_000) + Math.floor(rand() * 600_000),
        rand,
        o.evidence === true && scenario === "keep_alive_expiry" && i % 2 === 1,
      );
      const events = d.events.flatMap((e) => (rand() < (o.duplicateShare ?? 0) ? [e, { ...e }] : [e]));
      if (o.shuffle === true) events.sort(() => rand() - 0.5);
      out.events.push(...events);
      if (d.lines.length > 0) {
        const events = d.lines.map((line, k) => ({ seq: k + 1, line }));
        const sdk_version = SDK_VERSIONS[i % SDK_VERSIONS.length] as string;
        out.evidence.push({
          type: "mqtt-diagnostics-evidence",
          version: 1,
          client_id: d.id,
          first_seq: 1,
          last_seq: events.length,
          discarded_total: 0,
          sdk_version,
          events,
        } as unknown as EvidenceMessage);
      }
      out.truth.set(d.id, TRUTH[scenario]);
      out.scenarioOf.set(d.id, scenario);
    }
  }
  return out;
}
