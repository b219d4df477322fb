import { describe, expect, it } from "vitest";
import { describeError } from "../../../src/collector/error-info.js";
import { Interner } from "../../../src/collector/interned.js";

/** A string with the same characters as `s` but its own copy (as each SDK callback hands one). */
const fresh = (s: string) => [...s].join("");

describe("one copy of each error name and message", () => {
  // JavaScript cannot tell two equal strings apart, so what is shared shows in the table's size.
  it("files each distinct value once, whatever copy of it comes", () => {
    const t = new Interner(10);
    const a = t.intern(fresh("AWS_ERROR_MQTT_UNEXPECTED_HANGUP"));
    expect(t.intern(fresh("AWS_ERROR_MQTT_UNEXPECTED_HANGUP"))).toBe(a);
    expect(t.size).toBe(1);
  });

  it("stops filing at its bound, and still returns every value unchanged", () => {
    const t = new Interner(2);
    for (const v of ["a", "b", "c", "d"]) expect(t.intern(v)).toBe(v);
    expect(t.size).toBe(2);
  });

  it("leaves what the collector records of an error unchanged", () => {
    const crt = () => ({ error_name: fresh("AWS_IO_SOCKET_CLOSED"), error_code: 1051, message: fresh("aws-c-io: AWS_IO_SOCKET_CLOSED, socket is closed.") });
    const [a, b] = [describeError(crt()), describeError(crt())];
    expect(b).toEqual(a);
    expect(a).toEqual({ error_name: "AWS_IO_SOCKET_CLOSED", error_code: 1051, error_message: "aws-c-io: AWS_IO_SOCKET_CLOSED, socket is closed." });
  });
});
