// `mqtt-diagnostics-exporter/journal`: the crash-safe journal, its restore and replay.
export type * from "../journal/events.js";
export { DEFAULT_CONNECTION } from "../journal/events.js";
export { JournalWriter, type JournalWriterOptions } from "../journal/writer.js";
export { restoreJournal } from "../journal/restore.js";
export { readJournal } from "../journal/reader.js";
export { parseJournalLine } from "../journal/parse.js";
export { replayJournal, replayDocument, type ReplayOptions, type ReplayResult } from "../replay/replay.js";
