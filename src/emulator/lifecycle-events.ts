import type { DisconnectReason } from "./aws-rules.js";
import { lifecycleTopic as topicOf, type ConnectFailedEvent, type ConnectedEvent, type DisconnectedEvent, type LifecycleEvent } from "../aws-join/events.js";

/**
 * The emulator writes AWS IoT Core's lifecycle event messages; their fields and topics are
 * declared once, in src/aws-join/events.ts (the library reads them with the same types).
 */
export type { ConnectFailedEvent, ConnectedEvent, DisconnectedEvent, LifecycleEvent };

/** `$aws/events/presence/{connected|disconnected|connect_failed}/{clientId}`. */
export function lifecycleTopic(event: LifecycleEvent): string {
  return topicOf(event.eventType, event.clientId);
}

/** What the emulator knows of one connection when it writes an event about it. */
export interface SessionFacts {
  clientId: string;
  sessionIdentifier: string;
  principalIdentifier: string;
  ipAddress: string;
  versionNumber: number;
}

export function connectedEvent(s: SessionFacts, timestamp: number): ConnectedEvent {
  return {
    clientId: s.clientId,
    timestamp,
    eventType: "connected",
    sessionIdentifier: s.sessionIdentifier,
    principalIdentifier: s.principalIdentifier,
    ipAddress: s.ipAddress,
    versionNumber: s.versionNumber,
  };
}

/** AWS: "The connect and disconnect messages for a client connection have the same version number." */
export function disconnectedEvent(s: SessionFacts, timestamp: number, reason: DisconnectReason): DisconnectedEvent {
  return {
    clientId: s.clientId,
    timestamp,
    eventType: "disconnected",
    sessionIdentifier: s.sessionIdentifier,
    principalIdentifier: s.principalIdentifier,
    clientInitiatedDisconnect: reason === "CLIENT_INITIATED_DISCONNECT",
    disconnectReason: reason,
    versionNumber: s.versionNumber,
  };
}

export function connectFailedEvent(s: SessionFacts, timestamp: number): ConnectFailedEvent {
  return {
    clientId: s.clientId,
    timestamp,
    eventType: "connect_failed",
    connectFailureReason: "AUTHORIZATION_FAILED",
    principalIdentifier: s.principalIdentifier,
    sessionIdentifier: s.sessionIdentifier,
    ipAddress: s.ipAddress,
  };
}
