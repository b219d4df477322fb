import { afterAll, beforeAll, expect } from "vitest";
import type { ConnectionConfig } from "../../src/config/schema.js";
import type { AwsIotEmulator, EmulatorOptions } from "../../src/emulator/emulator.js";
import type { DisconnectedEvent, LifecycleEvent } from "../../src/emulator/lifecycle-events.js";
import type { TestPki } from "./certs.js";
import { LifecycleSubscriber, startEmulator, watchedClient, type WatchedClient } from "./emulator.js";
import { mosquittoSuite } from "./mosquitto-suite.js";
import { testConnection } from "./service.js";

export type Protocol = "mqtt5" | "mqtt311";

/**
 * What the emulator's tests share: Mosquitto behind the emulator, a subscriber to AWS's
 * lifecycle topics on it, and emulators and clients that are closed after each test. Call at a
 * test file's top level (it registers the file's hooks).
 */
export function emulatorSuite() {
  const m = mosquittoSuite("emu");
  let lifecycle: LifecycleSubscriber;
  beforeAll(async () => {
    lifecycle = await LifecycleSubscriber.start(m.broker.plainPort);
  });
  // Registered after the broker's own: runs before it stops.
  afterAll(async () => lifecycle.close());

  const suite = {
    get pki(): TestPki {
      return m.pki;
    },
    get lifecycle(): LifecycleSubscriber {
      return lifecycle;
    },
    async emulator(options: Omit<EmulatorOptions, "upstream"> = {}): Promise<AwsIotEmulator> {
      const e = await startEmulator(m.broker.plainPort, options);
      m.cleanup(() => e.close());
      return e;
    },
    client(c: ConnectionConfig): WatchedClient {
      const w = watchedClient(c);
      m.cleanup(() => w.stop());
      return w;
    },
    disconnected: (id: string, reason: string) =>
      lifecycle.next(id, (e) => e.eventType === "disconnected" && e.disconnectReason === reason, reason) as Promise<DisconnectedEvent & { topic: string }>,
    connectedEvent: (id: string): Promise<LifecycleEvent & { topic: string }> => lifecycle.next(id, (e) => e.eventType === "connected", "connected"),
    /** A dropped client waits 5 s before reconnecting, so each rule's effect can be read before it comes back. */
    conn: (protocol: Protocol, id: string, port: number, o: Partial<ConnectionConfig> = {}) =>
      testConnection({ client_id: `${id}-${protocol}`, port, protocol, reconnect: { min_delay_ms: 5000, max_delay_ms: 5000, jitter: "none" }, ...o }),
    /** What the client saw when the server closed it: MQTT 5 gets the reason code, 3.1.1 a hang-up. */
    expectServerClose(protocol: Protocol, w: WatchedClient, code: number): void {
      const drop = w.collector.getRecentDrops(1)[0];
      if (protocol === "mqtt5") expect(drop).toMatchObject({ error_name: "AWS_ERROR_MQTT5_DISCONNECT_RECEIVED", disconnect_reason_code: code });
      else expect(drop?.error_name).toBe("AWS_IO_SOCKET_CLOSED");
    },
  };
  return suite;
}
