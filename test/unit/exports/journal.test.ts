import { describe, expect, it } from "vitest";
import * as entry from "../../../src/exports/journal.js";

describe("mqtt-diagnostics-exporter/journal", () => {
  it("holds the journal's writer, restore, reader, parser and replay", () => {
    expect(Object.keys(entry).sort()).toEqual([
      "DEFAULT_CONNECTION",
      "JournalWriter",
      "parseJournalLine",
      "readJournal",
      "replayDocument",
      "replayJournal",
      "restoreJournal",
    ]);
  });
});
