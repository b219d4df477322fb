import { sameLifecycleMessage, type LifecycleEvent } from "./events.js";

/**
 * The AWS events a ledger retains, found by session identifier (AWS may deliver one message
 * twice). Filed under the identifier the event already carries rather than a key built per event:
 * a session has one to three events, compared field by field.
 */
export class SeenEvents {
  private readonly bySession = new Map<string, LifecycleEvent | LifecycleEvent[]>();

  has(event: LifecycleEvent): boolean {
    const filed = this.bySession.get(event.sessionIdentifier);
    if (filed === undefined) return false;
    if (!Array.isArray(filed)) return sameLifecycleMessage(filed, event);
    for (const e of filed) if (sameLifecycleMessage(e, event)) return true;
    return false;
  }

  /** Files an event not seen yet (has() said so). */
  add(event: LifecycleEvent): void {
    const sid = event.sessionIdentifier;
    const filed = this.bySession.get(sid);
    if (filed === undefined) this.bySession.set(sid, event);
    else if (Array.isArray(filed)) filed.push(event);
    else this.bySession.set(sid, [filed, event]);
  }

  /** Forgets a filed event (the very object filed). */
  delete(event: LifecycleEvent): void {
    const sid = event.sessionIdentifier;
    const filed = this.bySession.get(sid);
    if (filed === event) this.bySession.delete(sid);
    else if (Array.isArray(filed)) {
      const i = filed.indexOf(event);
      if (i >= 0) filed.splice(i, 1);
      if (filed.length === 0) this.bySession.delete(sid);
    }
  }

  clear(): void {
    this.bySession.clear();
  }
}
