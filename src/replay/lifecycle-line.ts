import { LIFECYCLE_FIELDS, parseLifecycleEvent, type LifecycleEvent, type ParsedLifecycle } from "../aws-join/events.js";
import { jsonOf, NOT_JSON } from "../text/json-text.js";

type Obj = Readonly<Record<string, unknown>>;

/** An own property (JSON.parse makes `__proto__` an own key: data, never the prototype). */
const own = (o: Obj, name: string): unknown => (Object.hasOwn(o, name) ? o[name] : undefined);

const C = LIFECYCLE_FIELDS.connected;
const D = LIFECYCLE_FIELDS.disconnected;
const F = LIFECYCLE_FIELDS.connect_failed;
const ok = (check: ((v: unknown) => boolean) | undefined, v: unknown): boolean => check !== undefined && check(v);

/**
 * The event of one parsed line, each type's fields read by name and checked with AWS's checks
 * (LIFECYCLE_FIELDS), built as one literal in AWS's order: what parseLifecycleEvent gives, at
 * a third of its cost (it walks the field table and adds each key to a fresh object). Undefined
 * when a check fails or the type is not AWS's: parseLifecycleEvent then says why.
 */
function checkedEvent(o: Obj): LifecycleEvent | undefined {
  const type = own(o, "eventType");
  const clientId = own(o, "clientId");
  const timestamp = own(o, "timestamp");
  const sessionIdentifier = own(o, "sessionIdentifier");
  const principalIdentifier = own(o, "principalIdentifier");
  if (type === "connected") {
    const ipAddress = own(o, "ipAddress");
    const versionNumber = own(o, "versionNumber");
    if (!(
      ok(C.clientId, clientId) &&
      ok(C.timestamp, timestamp) &&
      ok(C.sessionIdentifier, sessionIdentifier) &&
      ok(C.principalIdentifier, principalIdentifier) &&
      ok(C.ipAddress, ipAddress) &&
      ok(C.versionNumber, versionNumber)
    ))
      return undefined;
    return { clientId, timestamp, eventType: type, sessionIdentifier, principalIdentifier, ipAddress, versionNumber } as LifecycleEvent;
  }
  if (type === "disconnected") {
    const clientInitiatedDisconnect = own(o, "clientInitiatedDisconnect");
    const disconnectReason = own(o, "disconnectReason");
    const versionNumber = own(o, "versionNumber");
    if (!(
      ok(D.clientId, clientId) &&
      ok(D.timestamp, timestamp) &&
      ok(D.sessionIdentifier, sessionIdentifier) &&
      ok(D.principalIdentifier, principalIdentifier) &&
      ok(D.clientInitiatedDisconnect, clientInitiatedDisconnect) &&
      ok(D.disconnectReason, disconnectReason) &&
      ok(D.versionNumber, versionNumber)
    )) {
      return undefined;
    }
    return {
      clientId,
      timestamp,
      eventType: type,
      sessionIdentifier,
      principalIdentifier,
      clientInitiatedDisconnect,
      disconnectReason,
      versionNumber,
    } as LifecycleEvent;
  }
  if (type === "connect_failed") {
    const connectFailureReason = own(o, "connectFailureReason");
    const ipAddress = own(o, "ipAddress");
    if (!(
      ok(F.clientId, clientId) &&
      ok(F.timestamp, timestamp) &&
      ok(F.connectFailureReason, connectFailureReason) &&
      ok(F.principalIdentifier, principalIdentifier) &&
      ok(F.sessionIdentifier, sessionIdentifier) &&
      ok(F.ipAddress, ipAddress)
    ))
      return undefined;
    return { clientId, timestamp, eventType: type, connectFailureReason, principalIdentifier, sessionIdentifier, ipAddress } as LifecycleEvent;
  }
  return undefined;
}

/**
 * One line of an exported lifecycle file (from its `{`): parseLifecycleJson's answer, the event
 * or why the line is skipped, with the checks of a valid event done field by field by name. An
 * export holds hundreds of thousands of lines; JSON.parse is then most of what one costs.
 */
export function lifecycleLineEvent(text: string): ParsedLifecycle {
  const value = jsonOf(text);
  if (value === NOT_JSON) return { ok: false, error: "not JSON" };
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const event = checkedEvent(value as Obj);
    if (event !== undefined) return { ok: true, event };
  }
  return parseLifecycleEvent(value);
}
