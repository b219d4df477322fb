/**
 * The order of AWS IoT Core's lifecycle events around a session takeover: the newcomer is
 * accepted (its `connected` event) and then the session it replaces is closed (that session's
 * `disconnected` event, DUPLICATE_CLIENTID). The emulator closes the old connection as soon as
 * the newcomer's CONNECT is admitted (the broker behind would throw it out anyway), so the old
 * session's end is held here until the newcomer is connected, or has failed to.
 *
 * `S` is a session, `E` what is held about the old one (the emulator writes its event when it is
 * released, so its timestamp is the moment AWS is seen to close it).
 */
export class TakeoverOrder<S, E> {
  /** Old session -> the newcomer replacing it, while the newcomer is connecting. */
  private readonly replacedBy = new Map<S, S>();
  /** Newcomer -> what is held about the sessions it replaces. */
  private readonly held = new Map<S, E[]>();

  /** `newcomer` was admitted with the client ID `old` holds: `old` is about to be closed. */
  replacing(old: S, newcomer: S): void {
    this.replacedBy.set(old, newcomer);
  }

  /**
   * `session` closed (`end`: what to publish about it, when it had been accepted): what to publish
   * now. The end of a session being replaced waits for its newcomer; a newcomer that closes
   * before it connected releases what waited for it.
   */
  closed(session: S, end: E | undefined): E[] {
    const newcomer = this.replacedBy.get(session);
    this.replacedBy.delete(session);
    const released = this.release(session);
    if (end === undefined) return released;
    if (newcomer === undefined) return [...released, end];
    this.held.set(newcomer, [...(this.held.get(newcomer) ?? []), end]);
    return released;
  }

  /** `newcomer` is connected: what waited for it, to publish after its own `connected` event. */
  connected(newcomer: S): E[] {
    return this.release(newcomer);
  }

  /** Sessions being replaced and newcomers with something waiting. */
  get size(): number {
    return this.replacedBy.size + this.held.size;
  }

  private release(newcomer: S): E[] {
    const out = this.held.get(newcomer) ?? [];
    this.held.delete(newcomer);
    return out;
  }
}
