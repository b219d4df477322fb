import { describe, expect, it } from "vitest";
import { connectionSchema } from "../../../src/config/connection-schema.js";

describe("connectionSchema", () => {
  it("fills a connection's defaults: transport mtls, the port left to the transport's default at load", () => {
    const plain = connectionSchema.parse({ endpoint: "broker.local", client_id: "c" });
    expect(plain.transport).toBe("mtls");
    expect(plain.port).toBeUndefined();
  });

  it("refuses an endpoint with a scheme or a port, naming why", () => {
    const r = connectionSchema.safeParse({ endpoint: "mqtts://broker.local:8883", client_id: "c" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/host name or IP address, without scheme, port or path/);
  });

  it("refuses keys it does not know (a typo is not ignored)", () => {
    expect(connectionSchema.safeParse({ endpoint: "broker.local", client_id: "c", trasnport: "mtls" }).success).toBe(false);
  });
});
