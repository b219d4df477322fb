import { NodeHttpHandler } from "@smithy/node-http-handler";
import { describe, expect, it } from "vitest";
import { createKinesisClient } from "../../../src/kinesis/kinesis-client.js";

describe("createKinesisClient", () => {
  it("speaks HTTP/1.1 (NodeHttpHandler), to the endpoint given", async () => {
    const client = createKinesisClient({ region: "eu-west-1", endpoint: "http://127.0.0.1:4567", credentials: { accessKeyId: "k", secretAccessKey: "s" } });
    expect(client.config.requestHandler).toBeInstanceOf(NodeHttpHandler);
    expect(await client.config.region()).toBe("eu-west-1");
    expect((await client.config.endpoint?.())?.hostname).toBe("127.0.0.1");
    client.destroy();
  });
});
