// `mqtt-diagnostics-exporter/diagnosis`: why a connection drops, from its recorded history.
export { createDiagnoser, type Diagnoser } from "../diagnosis/diagnoser.js";
export { diagnose } from "../diagnosis/engine.js";
export { historyOf, type ConnectionHistory } from "../diagnosis/history.js";
export { formatDiagnosis } from "../diagnosis/format.js";
export type { Diagnosis, Finding, CauseId } from "../diagnosis/types.js";
