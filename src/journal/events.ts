/**
 * The journal's names for the core's event model (declared once, in collector/event-model.ts):
 * one JSON object per line, the public, documented JSON Lines format.
 */
import type { JournalEvent, LineOf } from "../collector/event-model.js";
import type { CheckpointLine } from "./checkpoint.js";

export { DEFAULT_CONNECTION, type JournalEvent, type JournalKind, type LineOf } from "../collector/event-model.js";

export type ConnectionSuccessLine = LineOf<"connection_success">;
export type ConnectionDropLine = LineOf<"connection_drop">;
export type PublishLine = LineOf<"publish">;
export type ConnectionFailureLine = LineOf<"connection_failure">;
export type ConnectionAttemptLine = LineOf<"connection_attempt">;
export type ConnectionStoppedLine = LineOf<"connection_stopped">;
export type ProbeLine = LineOf<"probe">;

/**
 * One entry of the journal as read: an event (`at`: its `ts` parsed once, in ms; `inShape`: its
 * fields are known to need no repair, see normalize's `inShape`) or a checkpoint.
 */
export type JournalEntry = { type: "event"; event: JournalEvent; at: number; inShape: boolean } | { type: "checkpoint"; checkpoint: CheckpointLine };
