/**
 * AWS IoT Core's lifecycle event messages, declared once for the library (which reads them) and
 * the emulator (which writes them). Field names, topics and reasons are AWS's, from the AWS IoT
 * developer guide, "Lifecycle events":
 * https://docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html
 * The page warns that "lifecycle messages might be sent out of order" and duplicated: the joiner
 * (join.ts) is built for that. `thingName` (sent only for the "exclusive thing"
 * feature) is not kept.
 */

import { jsonOf, NOT_JSON } from "../text/json-text.js";

/** The `disconnectReason` values the page lists, spelled as AWS spells them. */
export const AWS_DISCONNECT_REASONS = [
  "AUTH_ERROR",
  "CLIENT_INITIATED_DISCONNECT",
  "CLIENT_ERROR",
  "CONNECTION_LOST",
  "DUPLICATE_CLIENTID",
  "FORBIDDEN_ACCESS",
  "MQTT_KEEP_ALIVE_TIMEOUT",
  "SERVER_ERROR",
  "SERVER_INITIATED_DISCONNECT",
  "API_INITIATED_DISCONNECT",
  "THROTTLED",
  "WEBSOCKET_TTL_EXPIRATION",
  "CUSTOMAUTH_TTL_EXPIRATION",
] as const;

export type AwsDisconnectReason = (typeof AWS_DISCONNECT_REASONS)[number];

export interface ConnectedEvent {
  clientId: string;
  /** Milliseconds since the Unix epoch, AWS's clock. */
  timestamp: number;
  eventType: "connected";
  sessionIdentifier: string;
  principalIdentifier: string;
  ipAddress: string;
  versionNumber: number;
}

export interface DisconnectedEvent {
  clientId: string;
  timestamp: number;
  eventType: "disconnected";
  sessionIdentifier: string;
  principalIdentifier: string;
  clientInitiatedDisconnect: boolean;
  /** One of AWS_DISCONNECT_REASONS, or a reason AWS added since (kept as sent, bounded). */
  disconnectReason: string;
  /** "The connect and disconnect messages for a client connection have the same version number." */
  versionNumber: number;
}

/** "Connect attempt failure event": AWS's only documented `connectFailureReason` is AUTHORIZATION_FAILED. */
export interface ConnectFailedEvent {
  clientId: string;
  timestamp: number;
  eventType: "connect_failed";
  connectFailureReason: string;
  principalIdentifier: string;
  sessionIdentifier: string;
  ipAddress: string;
}

export type LifecycleEvent = ConnectedEvent | DisconnectedEvent | ConnectFailedEvent;
export type LifecycleEventType = LifecycleEvent["eventType"];

export const LIFECYCLE_EVENT_TYPES: readonly LifecycleEventType[] = ["connected", "disconnected", "connect_failed"];

const PRESENCE = "$aws/events/presence";

/** `$aws/events/presence/{connected|disconnected|connect_failed}/{clientId}`. */
export function lifecycleTopic(eventType: LifecycleEventType, clientId: string): string {
  return `${PRESENCE}/${eventType}/${clientId}`;
}

/** Every lifecycle topic of one client ID: what an observer subscribes to (and its policy allows). */
export function lifecycleTopics(clientId: string): string[] {
  return LIFECYCLE_EVENT_TYPES.map((t) => lifecycleTopic(t, clientId));
}

/** AWS's reason names are upper-case words; anything else is not a reason worth a label. */
const REASON = /^[A-Z][A-Z0-9_]{0,63}$/;
/** Client IDs are at most 128 bytes at AWS; identifiers and addresses are shorter. */
const MAX_ID = 256;

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === "string" && v.length > 0 && v.length <= MAX_ID;
const reason: Check = (v) => typeof v === "string" && REASON.test(v);
const ms: Check = (v) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const bool: Check = (v) => typeof v === "boolean";

/** Each event type's fields and checks, in AWS's order (also the journal's). */
export const LIFECYCLE_FIELDS: Readonly<Record<LifecycleEventType, Readonly<Record<string, Check>>>> = {
  connected: { clientId: str, timestamp: ms, eventType: str, sessionIdentifier: str, principalIdentifier: str, ipAddress: str, versionNumber: ms },
  disconnected: {
    clientId: str,
    timestamp: ms,
    eventType: str,
    sessionIdentifier: str,
    principalIdentifier: str,
    clientInitiatedDisconnect: bool,
    disconnectReason: reason,
    versionNumber: ms,
  },
  connect_failed: {
    clientId: str,
    timestamp: ms,
    eventType: str,
    connectFailureReason: reason,
    principalIdentifier: str,
    sessionIdentifier: str,
    ipAddress: str,
  },
};

/** The same, as lists (read once per event: no per-event Object.entries). */
const FIELD_LISTS: Readonly<Record<LifecycleEventType, readonly (readonly [string, Check])[]>> = {
  connected: Object.entries(LIFECYCLE_FIELDS.connected),
  disconnected: Object.entries(LIFECYCLE_FIELDS.disconnected),
  connect_failed: Object.entries(LIFECYCLE_FIELDS.connect_failed),
};

export type ParsedLifecycle = { ok: true; event: LifecycleEvent } | { ok: false; error: string };

/**
 * An AWS lifecycle message (parsed JSON) checked field by field: only AWS's fields are kept, in
 * AWS's order, so what is journaled or shown is never more than AWS sent. Reads own properties
 * only, so `__proto__` in the input is data.
 */
export function parseLifecycleEvent(value: unknown): ParsedLifecycle {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: "not a JSON object" };
  const input = value as Record<string, unknown>;
  const type = Object.hasOwn(input, "eventType") ? input["eventType"] : undefined;
  if (type !== "connected" && type !== "disconnected" && type !== "connect_failed")
    return { ok: false, error: `eventType ${JSON.stringify(type) ?? "absent"} is not a connect or disconnect event` };
  const out: Record<string, unknown> = {};
  for (const [name, check] of FIELD_LISTS[type]) {
    const v = Object.hasOwn(input, name) ? input[name] : undefined;
    if (!check(v)) return { ok: false, error: `${type} event: ${name} is ${v === undefined ? "absent" : "invalid"}` };
    out[name] = v;
  }
  return { ok: true, event: out as unknown as LifecycleEvent };
}

/** One line of text (as received on a topic, or one line of an exported file). */
export function parseLifecycleJson(text: string): ParsedLifecycle {
  const value = jsonOf(text);
  return value === NOT_JSON ? { ok: false, error: "not JSON" } : parseLifecycleEvent(value);
}

/** The same message delivered twice has the same key (AWS may deliver it twice). */
export function lifecycleKey(e: LifecycleEvent): string {
  const version = e.eventType === "connect_failed" ? "" : String(e.versionNumber);
  return `${e.eventType}|${e.clientId}|${e.sessionIdentifier}|${version}|${e.timestamp}`;
}

/** Whether two events are the same message: lifecycleKey's fields equal, compared without building the keys. */
export function sameLifecycleMessage(a: LifecycleEvent, b: LifecycleEvent): boolean {
  return (
    a.timestamp === b.timestamp &&
    a.sessionIdentifier === b.sessionIdentifier &&
    a.eventType === b.eventType &&
    a.clientId === b.clientId &&
    (a.eventType === "connect_failed" || a.versionNumber === (b as { versionNumber?: number }).versionNumber)
  );
}

/** The ordering AWS prescribes: versionNumber, and within one connection connected before disconnected. */
export function compareLifecycle(a: LifecycleEvent, b: LifecycleEvent): number {
  const va = a.eventType === "connect_failed" ? -1 : a.versionNumber;
  const vb = b.eventType === "connect_failed" ? -1 : b.versionNumber;
  if (va !== vb && va >= 0 && vb >= 0) return va - vb;
  if (a.timestamp !== b.timestamp) return a.timestamp - b.timestamp;
  const key = (e: LifecycleEvent): string => lifecycleKey(e);
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
