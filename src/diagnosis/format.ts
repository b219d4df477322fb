import type { Diagnosis } from "./types.js";

/** The diagnosis in plain words, for `replay --format text` and the service log. */
export function formatDiagnosis(d: Diagnosis): string {
  const lines = [`DIAGNOSIS (${d.connection}): ${d.status.replace("_", " ")} — ${d.note}`, ...(d.limits ?? []).map((l) => `   Note: ${l}`)];
  d.findings.forEach((f, i) => {
    lines.push(`${i + 1}. ${f.cause} (confidence ${f.confidence.toFixed(2)}): ${f.summary}`);
    for (const e of f.evidence) lines.push(`   - ${e}`);
    lines.push(`   What to change: ${f.recommendation}`);
  });
  return `${lines.join("\n")}\n`;
}
