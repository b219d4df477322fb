/** Diagnosing a connection with 1000 retained drops (target < 5 ms). `npm run bench:diagnosis`. */
import { ManualClock } from "../src/clock.js";
import { MqttDiagnosticsCollector } from "../src/collector/collector.js";
import { diagnose } from "../src/diagnosis/engine.js";
import { historyOf } from "../src/diagnosis/history.js";
import { benchResults } from "./results.js";

const clock = new ManualClock(Date.parse("2026-03-01T00:00:00Z"));
const c = new MqttDiagnosticsCollector({ clock, maxEventsRetained: 1000 });
const errors = [
  { error_name: "AWS_ERROR_MQTT5_PING_RESPONSE_TIMEOUT", error_code: 5152, message: "m" },
  { error_name: "AWS_IO_SOCKET_CLOSED", error_code: 1051, message: "m" },
  { error_name: "AWS_ERROR_MQTT5_DISCONNECT_RECEIVED", error_code: 5154, message: "m" },
];
for (let i = 0; i < 1500; i++) {
  c.recordConnectionSuccess({ eventType: i === 0 ? "connected" : "resumed", keepAliveSeconds: 300 });
  clock.advance(300_000 + (i % 13) * 1000);
  c.recordConnectionDrop({ error: errors[i % 3], disconnectReasonCode: i % 3 === 2 ? 0x8e : null });
  if (i % 5 === 0) c.recordConnectionFailure({ error: { error_name: "AWS_IO_SOCKET_CONNECTION_REFUSED", error_code: 1047, message: "m" } });
  clock.advance(800);
}
const times: number[] = [];
let causes = "";
for (let r = 0; r < 200; r++) {
  const t0 = performance.now();
  const d = diagnose(historyOf(c));
  times.push(performance.now() - t0);
  causes = d.findings.map((f) => f.cause).join(", ");
}
times.sort((a, b) => a - b);
const q = (p: number) => (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN).toFixed(2);
const results = benchResults("diagnosis", { runs: times.length, "retained drops": c.getRecentDrops(5000).length });
results.figure({ id: "diagnose-median", what: "diagnose(), median", value: Number(q(0.5)), unit: "ms" });
results.figure({ id: "diagnose-p99", what: "diagnose(), p99", value: Number(q(0.99)), unit: "ms" });
process.stdout.write(
  `${results.table("diagnose", [`diagnose() with ${c.getRecentDrops(5000).length} retained drops: median ${q(0.5)} ms, p99 ${q(0.99)} ms over ${times.length} runs (target < 5 ms); findings: ${causes}`])}\n`,
);
