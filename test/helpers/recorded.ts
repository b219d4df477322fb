import { MqttDiagnosticsCollector } from "../../src/collector/collector.js";
import type { JournalEvent } from "../../src/journal/events.js";

/** A collector with every journal line it emits. */
export function recorded(connection: string): { collector: MqttDiagnosticsCollector; lines: JournalEvent[] } {
  const collector = new MqttDiagnosticsCollector({ connection });
  const lines: JournalEvent[] = [];
  collector.onEvent((e) => lines.push(e.line));
  return { collector, lines };
}

/** The lines' kinds, a success with its event type (`connection_success:resumed`). */
export const kinds = (lines: JournalEvent[]) => lines.map((l) => (l.kind === "connection_success" ? `${l.kind}:${l.event_type}` : l.kind));
