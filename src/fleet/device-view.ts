import { ManualClock } from "../clock.js";
import { MqttDiagnosticsCollector } from "../collector/collector.js";
import type { LoggerLike } from "../collector/logger.js";
import type { ExportDocument } from "../collector/types.js";
import { diagnose } from "../diagnosis/engine.js";
import { historyOf } from "../diagnosis/history.js";
import type { Diagnosis } from "../diagnosis/types.js";
import { linesFromAws } from "./aws-side.js";
import { MAX_AWS_EVENTS, MAX_DEVICE_LINES, type DeviceState } from "./device-state.js";

/** A device's first cause: its most likely finding, or `healthy` / `insufficient_data`. */
export type FleetCause = string;

const quiet: LoggerLike = { warn: () => {}, error: () => {} };

/**
 * A collector for one device, built from its compact state as of `now`: its own shipped lines
 * when it ships any (otherwise the client side AWS's events imply), and AWS's events, joined by
 * the collector's own lifecycle join. Built on demand (diagnosis, detail view), never kept.
 */
export function deviceCollector(device: DeviceState, now: number): MqttDiagnosticsCollector {
  const collector = new MqttDiagnosticsCollector({
    connection: device.clientId,
    clock: new ManualClock(now),
    maxEventsRetained: MAX_AWS_EVENTS + MAX_DEVICE_LINES,
    logger: quiet,
  });
  const lines = device.lines.length > 0 ? device.lines : linesFromAws(device.clientId, device.aws);
  for (const line of lines) collector.apply(line);
  for (const event of device.aws) collector.addLifecycleEvidence(event);
  collector.settleLifecycle(now);
  return collector;
}

/** The project's diagnosis of one device, from both sides when it ships evidence, from AWS's alone otherwise. */
export function deviceDiagnosis(device: DeviceState, now: number, collector = deviceCollector(device, now)): Diagnosis {
  return diagnose(historyOf(collector));
}

export function firstCause(d: Diagnosis): FleetCause {
  return d.findings[0]?.cause ?? d.status;
}

/** `/fleet/devices/{clientId}`: the device's export document and diagnosis, with the fleet's own counts. */
export interface DeviceDetail extends ExportDocument {
  diagnosis: Diagnosis;
  fleet: {
    client_id: string;
    cause: FleetCause;
    drops: number;
    connected: boolean;
    last_seq: number;
    discarded_total: number;
    transport: string | null;
    aws_reasons: Record<string, number>;
  };
}

export function deviceDetail(device: DeviceState, now: number, limit: number): DeviceDetail {
  const collector = deviceCollector(device, now);
  const diagnosis = deviceDiagnosis(device, now, collector);
  return {
    ...collector.export(limit),
    diagnosis,
    fleet: {
      client_id: device.clientId,
      cause: firstCause(diagnosis),
      drops: device.drops,
      connected: device.connected,
      last_seq: device.lastSeq,
      discarded_total: device.discardedTotal,
      transport: device.transport,
      aws_reasons: Object.fromEntries(device.reasons),
    },
  };
}
