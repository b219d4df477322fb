import type { EventEmitter } from "node:events";

/** A listener of any event, as Node's EventEmitter types it. */
type Listener = Parameters<EventEmitter["on"]>[1];

/** What both SDK clients are for listening: aws-crt's event emitters. */
export interface Emitter {
  on(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}

/**
 * Adds the listeners (by event name, in order) and returns what removes every one of them: each
 * adapter's on/off pairs written once, so detach can never miss one that attach added.
 */
export function listenTo(emitter: Emitter, listeners: Readonly<Record<string, Listener>>): () => void {
  const entries = Object.entries(listeners);
  for (const [event, listener] of entries) emitter.on(event, listener);
  return () => {
    for (const [event, listener] of entries) emitter.off(event, listener);
  };
}
