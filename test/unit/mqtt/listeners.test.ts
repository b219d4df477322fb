import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { listenTo } from "../../../src/mqtt/listeners.js";

describe("listenTo", () => {
  it("adds each listener to its event, in order, and the returned function removes every one", () => {
    const emitter = new EventEmitter();
    const heard: string[] = [];
    const stop = listenTo(emitter, { a: (x: number) => heard.push(`a${x}`), b: () => heard.push("b") });
    expect(emitter.eventNames()).toEqual(["a", "b"]);
    emitter.emit("a", 1);
    emitter.emit("b");
    stop();
    emitter.emit("a", 2);
    expect(heard).toEqual(["a1", "b"]);
    expect(emitter.eventNames()).toEqual([]);
  });

  it("removes only its own listeners", () => {
    const emitter = new EventEmitter();
    const other = () => undefined;
    emitter.on("a", other);
    listenTo(emitter, { a: () => undefined })();
    expect(emitter.listeners("a")).toEqual([other]);
  });
});
