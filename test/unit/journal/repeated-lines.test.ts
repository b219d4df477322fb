import fc from "fast-check";
import { describe, it } from "vitest";
import { expectSameAsParsing } from "../../helpers/journal-read.js";

// Line ends (after `"ts":"…",`) that repeat, and the ways a line can differ from the writer's.
const rests = [
  '"kind":"publish","queued":false}',
  '"kind":"publish","queued":true}',
  '"kind":"publish"}',
  '"kind":"connection_drop","error_name":"AWS_IO_SOCKET_CONNECTION_REFUSED","error_message":"socket connection refused.","error_code":1047,"reconnect_attempt":3,"active_subscriptions":0,"queued_commands":0}',
  '"kind":"connection_drop","error_name":"AWS_IO_SOCKET_CONNECTION_REFUSED","error_message":"socket connection refused.","error_code":1047,"reconnect_attempt":4,"active_subscriptions":0,"queued_commands":0}',
  '"kind":"connection_drop","connection":"dev-2","error_name":"X","error_message":"caf\u00e9 \u2013 \ud83d\ude00","error_code":1,"reconnect_attempt":0,"active_subscriptions":0,"queued_commands":0}',
  '"kind":"connection_success","event_type":"resumed","session_present":true,"return_code":0,"attempt_number":4,"keep_alive_seconds":300}',
  '"kind":"connection_success","connection":"dev-2"}',
  // A second `ts`: JSON.parse keeps the last one, so this rest means a different time each line.
  '"kind":"publish","ts":"2026-03-01T12:00:00.000Z"}',
  '"kind":"publish","t\\u0073":"2026-03-01T13:00:00.000Z"}',
  '"kind":"publish","ts":"yesterday"}',
  '"kind":"publish","queued":"yes"}',
  '"kind":"future_kind","x":1}',
  '"kind":"connection_drop","error_message":"peer said \\"kind\\":\\"checkpoint\\""}',
  '"kind":"publish","queued":false}   ',
  '"kind":"publish","queued":false',
  '"kind":"probe","rtt_seconds":0.042}',
  // Fields the collector repairs (a name over its bound, a PEM block in a message): never "in shape".
  `"kind":"connection_drop","error_name":"${"N".repeat(300)}","error_message":"m","error_code":1,"reconnect_attempt":0,"active_subscriptions":0,"queued_commands":0}`,
  '"kind":"connection_failure","error_name":"X","error_message":"-----BEGIN CERTIFICATE-----abc-----END CERTIFICATE-----","error_code":1}',
];
const instant = fc.integer({ min: Date.parse("2026-02-27T00:00:00.000Z"), max: Date.parse("2026-03-02T00:00:00.000Z") });
const ts = fc.oneof(
  { weight: 8, arbitrary: instant.map((ms) => new Date(ms).toISOString()) },
  // The `ts` that rests with a second `ts` key carry: remembering such a line would be wrong.
  { weight: 3, arbitrary: fc.constantFrom("2026-03-01T12:00:00.000Z", "2026-03-01T13:00:00.000Z") },
  fc.constantFrom(
    "2026-02-30T10:00:00.000Z",
    "2026-03-01T24:00:00.000Z",
    "2026-03-01T12:00:00Z",
    "2026-03-01T12:00:00.000+00:00",
    "2026-03-01T25:00:00.000Z",
    "2026-13-01T00:00:00.000Z",
  ),
);
const line = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(ts, fc.constantFrom(...rests)).map(([t, rest]) => `{"ts":"${t}",${rest}`) },
  fc.tuple(ts, fc.constantFrom(...rests), fc.constantFrom(" ", "\t", "\r", "  ")).map(([t, rest, ws]) => `${ws}{"ts":"${t}",${rest}${ws}`),
  ts.map((t) => `{"kind":"publish","ts":"${t}"}`),
  fc.tuple(ts, fc.constantFrom(...rests)).map(([t, rest]) => `{ "ts":"${t}",${rest}`),
  fc.constantFrom("", "   ", "{not json", "null", "[]", '{"ts":"2026-03-01T12:00:00.000Z"}'),
  fc.string({ maxLength: 40 }),
);

describe("reading a journal gives what parsing each line would (repeated lines are built, not parsed)", () => {
  it("for any mix of repeated, altered, foreign and broken lines", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 120 }), fc.constantFrom("\n", "\r\n"), fc.boolean(), async (lines, eol, finalNewline) => {
        await expectSameAsParsing(lines.join(eol) + (finalNewline ? eol : ""));
      }),
      { numRuns: 300 },
    );
  });
});
