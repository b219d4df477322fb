import type { ConnectedEvent, DisconnectedEvent, LifecycleEvent } from "./events.js";

export type ClientKind = "drop" | "failure" | "success" | "stop";

/** How a client event and AWS's event about it were paired. */
export type JoinedBy = "session" | "time";

/** One client-side event as the join holds it; `joined` is AWS's event about it, once paired. */
export interface ClientNode {
  readonly id: number;
  readonly at: number;
  readonly kind: ClientKind;
  /** A success: the session it began; a drop or stop: the session it ended (none for a failed reconnect). */
  session: ClientSession | null;
  joined: LifecycleEvent | null;
  by: JoinedBy | null;
}

/** A session as the client saw it: from a success to the drop or stop that ended it. */
export interface ClientSession {
  readonly success: ClientNode;
  end: ClientNode | null;
  aws: AwsSession | null;
}

/** A session as AWS saw it, by `sessionIdentifier`. */
export interface AwsSession {
  readonly sid: string;
  connected: ConnectedEvent | null;
  disconnected: DisconnectedEvent | null;
  /** Our session it was paired with (by its connect). */
  client: ClientSession | null;
  /** Settled as another device's: a `connected` no success of ours explains. */
  foreign: boolean;
}

export const clientNode = (id: number, at: number, kind: ClientKind): ClientNode => ({ id, at, kind, session: null, joined: null, by: null });
