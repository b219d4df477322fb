import { Console } from "node:console";
import { Writable } from "node:stream";
import type { Logger } from "pino";
import { describe, expect, expectTypeOf, it } from "vitest";
import { ManualClock } from "../../../src/clock.js";
import { MqttDiagnosticsCollector } from "../../../src/collector/collector.js";
import type { LoggerLike } from "../../../src/collector/logger.js";
import { captureLog } from "../../helpers/log-capture.js";

// The two loggers the docs promise fit: `console` (the default) and a pino logger.
function collectorLoggingTo(logger: LoggerLike) {
  const c = new MqttDiagnosticsCollector({ clock: new ManualClock(0), connection: "heater-1", enableVerboseLogging: true, logger });
  c.onEvent(() => {
    throw new Error("listener bug");
  });
  c.recordConnectionSuccess();
  c.recordConnectionDrop({ error: Object.assign(new Error("hang-up"), { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", error_code: 5134 }) });
}

describe("collector/logger: LoggerLike", () => {
  it("accepts console and a pino logger, and not a logger whose methods take a message first", () => {
    expectTypeOf(console).toExtend<LoggerLike>();
    expectTypeOf<Console>().toExtend<LoggerLike>();
    expectTypeOf<Logger>().toExtend<LoggerLike>();
    expectTypeOf<{ warn(msg: string): void; error(msg: string): void }>().not.toExtend<LoggerLike>();
    expectTypeOf<{ warn(obj: object, msg?: string): void }>().not.toExtend<LoggerLike>();
  });

  it("a pino logger gets the collector's warnings and errors as structured lines", () => {
    const log = captureLog("info");
    collectorLoggingTo(log.logger);
    const drop = log.lines.find((l) => l.msg === "Connection drop recorded");
    expect(drop).toMatchObject({ level: 40, connection: "heater-1", drop: { error_name: "AWS_ERROR_MQTT_UNEXPECTED_HANGUP" } });
    const failures = log.lines.filter((l) => l.msg === "Error in event listener");
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({ level: 50, connection: "heater-1", err: { message: "listener bug" } });
  });

  it("a Console prints the same on stderr, object then message", () => {
    const written = { stdout: "", stderr: "" };
    const sink = (name: keyof typeof written) =>
      new Writable({
        write(chunk: Buffer, _enc, done) {
          written[name] += chunk.toString();
          done();
        },
      });
    collectorLoggingTo(new Console({ stdout: sink("stdout"), stderr: sink("stderr"), colorMode: false }));
    const text = written.stderr;
    expect(written.stdout).toBe("");
    expect(text).toMatch(/connection: 'heater-1'[\s\S]*AWS_ERROR_MQTT_UNEXPECTED_HANGUP[\s\S]*Connection drop recorded/);
    expect(text.match(/Error in event listener/g)).toHaveLength(2);
    expect(text).toContain("listener bug");
  });
});
