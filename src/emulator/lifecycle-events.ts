import type { DisconnectReason } from "./aws-rules.js";

/**
 * AWS IoT Core's lifecycle event messages, with AWS's JSON field names and topics, from the AWS IoT
 * developer guide, "Lifecycle events":
 * https://docs.aws.amazon.com/iot/latest/developerguide/life-cycle-events.html
 * (`thingName` is left out: AWS includes it only for the "exclusive thing" feature.)
 */
export interface ConnectedEvent {
  clientId: string;
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
  disconnectReason: DisconnectReason;
  versionNumber: number;
}

/** "Connect attempt failure event": AWS's only documented `connectFailureReason` is AUTHORIZATION_FAILED. */
export interface ConnectFailedEvent {
  clientId: string;
  timestamp: number;
  eventType: "connect_failed";
  connectFailureReason: "AUTHORIZATION_FAILED";
  principalIdentifier: string;
  sessionIdentifier: string;
  ipAddress: string;
}

export type LifecycleEvent = ConnectedEvent | DisconnectedEvent | ConnectFailedEvent;

/** `$aws/events/presence/{connected|disconnected|connect_failed}/{clientId}`. */
export function lifecycleTopic(event: LifecycleEvent): string {
  return `$aws/events/presence/${event.eventType}/${event.clientId}`;
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
