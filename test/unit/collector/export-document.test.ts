import { describe, expect, it } from "vitest";
import { lineOf } from "../../../src/collector/event-model.js";
import { exportDocument, metricsOf, RECONNECT_ATTEMPT_BUCKETS, reconnectAttemptBucket } from "../../../src/collector/export-document.js";
import { reduce } from "../../../src/collector/reducer.js";
import { createState } from "../../../src/collector/state.js";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const ts = (ms: number) => new Date(ms).toISOString();

function sessions(lengths: number[]) {
  const s = createState(3);
  let t = T0;
  lengths.forEach((len, i) => {
    reduce(s, lineOf("connection_success", ts(t), "default", {}), t);
    t += len * 1000;
    reduce(s, lineOf("connection_drop", ts(t), "default", { reconnect_attempt: [0, 3, 7, 12][i % 4] }), t);
  });
  reduce(s, lineOf("connection_success", ts(t), "default", {}), t);
  return { s, t };
}

describe("metricsOf", () => {
  it("derives longest, shortest and average from the session statistics, uptime from the clock", () => {
    const { s, t } = sessions([10, 40, 20, 30]);
    const m = metricsOf(s, t + 5_000);
    expect([m.longest_session_seconds, m.shortest_session_seconds, m.average_session_seconds]).toEqual([40, 10, 25]);
    expect(m.current_session_uptime_seconds).toBe(5);
    expect(m.total_reconnect_attempts).toBe(4);
    // Over the retained drops (3), in order of first appearance, as the original module.
    expect(m.reconnection_attempts_distribution).toEqual({ "2-5": 1, "6-10": 1, "11+": 1 });
  });

  it("writes no state", () => {
    const { s, t } = sessions([10]);
    const before = JSON.stringify({ ...s, sessions: s.sessions, maps: [...s.dropsByLabel] });
    const version = s.version;
    metricsOf(s, t + 1_000);
    exportDocument(s, "default", t + 2_000);
    expect(s.version).toBe(version);
    expect(JSON.stringify({ ...s, sessions: s.sessions, maps: [...s.dropsByLabel] })).toBe(before);
  });

  it("keeps the original's key order, with our additions after", () => {
    const { s, t } = sessions([10]);
    const doc = exportDocument(s, "dev-1", t, 1);
    expect(Object.keys(doc)).toEqual([
      "timestamp",
      "metrics",
      "recent_drops",
      "recent_connections",
      "aws_error_counts",
      "session_history_summary",
      "connection",
      "connected",
      "negotiated_keep_alive_seconds",
      "connection_attempts",
      "connection_failures",
      "server_disconnects_by_reason",
      "lifecycle",
    ]);
    expect(Object.keys(doc.metrics)).toEqual([
      "total_connections",
      "total_disconnects",
      "total_connection_drops",
      "total_reconnect_attempts",
      "longest_session_seconds",
      "shortest_session_seconds",
      "average_session_seconds",
      "current_session_uptime_seconds",
      "connection_drops_by_error",
      "reconnection_attempts_distribution",
      "last_drop_timestamp",
      "last_successful_connect_timestamp",
      "connection_recovered",
      "messages_published",
      "messages_queued",
    ]);
    expect(doc.recent_drops).toHaveLength(1);
  });

  it("exports null as the shortest session before any session ended", () => {
    expect(exportDocument(createState(1), "default", T0).metrics.shortest_session_seconds).toBeNull();
  });
});

describe("reconnectAttemptBucket", () => {
  it("buckets reconnect attempts as the original module does", () => {
    expect([0, 1, 2, 5, 6, 10, 11, 99].map(reconnectAttemptBucket)).toEqual(["1", "1", "2-5", "2-5", "6-10", "6-10", "11+", "11+"]);
    expect(RECONNECT_ATTEMPT_BUCKETS).toEqual(["1", "2-5", "6-10", "11+"]);
  });
});
