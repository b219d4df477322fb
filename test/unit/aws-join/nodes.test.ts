import { describe, expect, it } from "vitest";
import { clientNode } from "../../../src/aws-join/nodes.js";

describe("lifecycle nodes", () => {
  it("a client node starts unjoined and without a session", () => {
    expect(clientNode(7, 1000, "drop")).toEqual({ id: 7, at: 1000, kind: "drop", session: null, joined: null, by: null });
  });
});
