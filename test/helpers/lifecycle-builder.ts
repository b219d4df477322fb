import type { LifecycleEvent } from "../../src/aws-join/events.js";
import { connectedEvent, disconnectedEvent, type SessionFacts } from "../../src/emulator/lifecycle-events.js";
import type { JournalEvent } from "../../src/journal/events.js";
import { JournalBuilder, type CrtKey } from "./journal-builder.js";

export interface AwsSideOptions {
  /** AWS's clock minus the client's (ms): a client clock behind AWS's is a positive skew. */
  skewMs?: number;
  clientId?: string;
  /** The transport the client's successes record (none: an older journal). */
  transport?: string;
  /** How long AWS's events take to reach the observer (ms). */
  deliveryMs?: number;
}

/**
 * Both sides of a connection, built step by step as AWS IoT Core documents its behaviour: the
 * client's journal (its clock) and AWS's lifecycle events (AWS's clock, `skewMs` ahead). AWS
 * keeps a session open until it closes it: a new connect with the same client ID closes the open
 * one with DUPLICATE_CLIENTID at that instant. `journal()` has AWS's events as the observer
 * received them (lifecycle lines at their arrival); `file()` as an IoT rule exports them.
 */
export class AwsSide {
  readonly b = new JournalBuilder();
  readonly events: LifecycleEvent[] = [];
  private readonly arrivals: { at: number; line: JournalEvent }[] = [];
  private open: SessionFacts | null = null;
  private n = 0;
  readonly skewMs: number;
  readonly clientId: string;

  constructor(private readonly options: AwsSideOptions = {}) {
    this.skewMs = options.skewMs ?? 0;
    this.clientId = options.clientId ?? "device-1";
  }

  get t(): number {
    return this.b.t;
  }

  wait(seconds: number): this {
    this.b.wait(seconds);
    return this;
  }

  /** The client connects: its success, AWS's `connected` (40 ms earlier by the client's clock); an open session of ours is taken over. */
  connect(keepAlive = 60): this {
    const awsAt = this.b.t - 40 + this.skewMs;
    this.closeOpen("DUPLICATE_CLIENTID", awsAt);
    this.b.success(keepAlive);
    const last = this.b.lines[this.b.lines.length - 1] as Record<string, unknown>;
    last["client_id"] = this.clientId;
    if (this.options.transport !== undefined) last["transport"] = this.options.transport;
    this.open = this.facts("198.51.100.7", "p-device");
    this.emit(connectedEvent(this.open, awsAt));
    return this;
  }

  /** The client sees its connection drop (AWS may not know yet). */
  drop(err: CrtKey = "ping"): this {
    this.b.drop(err);
    return this;
  }

  /** The client cannot reconnect (the path is down). */
  failure(err: CrtKey = "sockTimeout"): this {
    this.b.failure(err);
    return this;
  }

  /** AWS closes our open session `afterSeconds` from now (negative: before now), by its clock. */
  awsCloses(reason: Parameters<typeof disconnectedEvent>[2], afterSeconds = 0): this {
    this.closeOpen(reason, this.b.t + Math.round(afterSeconds * 1000) + this.skewMs);
    return this;
  }

  /** Another device connects with our client ID: AWS takes our open session over. */
  foreign(ip = "203.0.113.9"): this {
    const awsAt = this.b.t + this.skewMs;
    this.closeOpen("DUPLICATE_CLIENTID", awsAt);
    this.open = null;
    this.emit(connectedEvent(this.facts(ip, "p-other"), awsAt));
    return this;
  }

  /** An event about another client ID (an IoT rule exporting a whole fleet). */
  otherClient(clientId: string): this {
    const f = { ...this.facts("192.0.2.1", "p-x"), clientId };
    this.emit(connectedEvent(f, this.b.t + this.skewMs));
    return this;
  }

  /** The journal with AWS's events as the observer received them (lifecycle lines at their arrival, client's clock). */
  journal(): string {
    const client = this.b.lines.map((line) => ({ at: Date.parse(line.ts), line }));
    const all = [...client, ...this.arrivals].sort((x, y) => x.at - y.at);
    return all.map((x) => JSON.stringify(x.line)).join("\n") + "\n";
  }

  /** The client's journal alone (no observer). */
  clientJournal(): string {
    return this.b.jsonl();
  }

  /** AWS's events as an IoT rule exports them (JSON Lines, AWS's order of publication). */
  file(drop: (e: LifecycleEvent) => boolean = () => false): string {
    return (
      this.events
        .filter((e) => !drop(e))
        .map((e) => JSON.stringify(e))
        .join("\n") + "\n"
    );
  }

  private facts(ip: string, principal: string): SessionFacts {
    const n = ++this.n;
    return { clientId: this.clientId, sessionIdentifier: `sess-${n}`, principalIdentifier: principal, ipAddress: ip, versionNumber: n };
  }

  private closeOpen(reason: Parameters<typeof disconnectedEvent>[2], awsAt: number): void {
    if (this.open === null) return;
    this.emit(disconnectedEvent(this.open, awsAt, reason));
    this.open = null;
  }

  private emit(e: LifecycleEvent): void {
    this.events.push(e);
    const at = e.timestamp - this.skewMs + (this.options.deliveryMs ?? 120);
    const line = { ts: new Date(at).toISOString(), kind: "lifecycle", ...e } as unknown as JournalEvent;
    this.arrivals.push({ at, line });
  }
}
