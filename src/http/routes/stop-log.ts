import type { CollectorRegistry } from "../../collector/registry.js";
import { RingBuffer } from "../../ring-buffer.js";

export interface StopLog {
  /** Times (ms) the connection was stopped, oldest first. */
  stopsOf(connection: string): readonly number[];
  close(): void;
}

/**
 * The collectors keep drops and connections but not stops; the status page needs them to end a
 * session where the client or the service stopped. Attached when the app is built, so it sees
 * the stops replayed from the journal as well as the live ones. Bounded like the collectors.
 */
export function recordStops(registry: CollectorRegistry, capacity: number): StopLog {
  const stops = new Map<string, RingBuffer<number>>();
  const detachers: (() => void)[] = [];
  const stopCreated = registry.onCreated((c) => {
    const ring = new RingBuffer<number>(capacity);
    stops.set(c.connection, ring);
    detachers.push(
      c.onEvent((e) => {
        if (e.line.kind === "connection_stopped") ring.push(Date.parse(e.line.ts));
      }),
    );
  });
  return {
    stopsOf: (connection) => stops.get(connection)?.last() ?? [],
    close() {
      stopCreated();
      for (const d of detachers) d();
    },
  };
}
