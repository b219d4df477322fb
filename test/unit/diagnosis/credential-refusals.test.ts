import { describe, expect, it } from "vitest";
import { diagnose } from "../../../src/diagnosis/engine.js";
import { historyOf } from "../../../src/diagnosis/history.js";
import { isCredentialRefusal } from "../../../src/diagnosis/signals.js";
import { JournalBuilder } from "../../helpers/journal-builder.js";

// The failed attempts test/integration/transports.test.ts saw the real SDK report: websocket_sigv4
// without credentials (AWS_AUTH_SIGNING_NO_CREDENTIALS), and an upgrade answered 403.
describe("WebSocket transports' credential refusals are auth_or_policy evidence", () => {
  it.each(["noCredentials", "upgradeRefused"] as const)("%s", (err) => {
    const b = new JournalBuilder();
    for (let i = 0; i < 4; i++) b.failure(err).wait(2 ** i);
    const f = diagnose(historyOf(b.collector())).findings.find((x) => x.cause === "auth_or_policy");
    expect(f?.evidence.join("\n")).toMatch(/4 failed attempts: AWS_(AUTH_SIGNING_NO_CREDENTIALS|ERROR_HTTP_WEBSOCKET_UPGRADE_FAILURE)/);
    expect(f?.recommendation).toMatch(/default provider chain/);
  });

  it("names only credential and upgrade errors", () => {
    expect(
      ["AWS_AUTH_SIGNING_NO_CREDENTIALS", "AWS_AUTH_CREDENTIALS_PROVIDER_CHAIN_SOURCE_FAILURE", "AWS_ERROR_HTTP_WEBSOCKET_UPGRADE_FAILURE"].every(
        isCredentialRefusal,
      ),
    ).toBe(true);
    expect(["AWS_IO_SOCKET_TIMEOUT", "AWS_ERROR_MQTT_UNEXPECTED_HANGUP", "AWS_ERROR_HTTP_CONNECTION_CLOSED"].some(isCredentialRefusal)).toBe(false);
  });
});
