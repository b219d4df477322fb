import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Transport } from "../../src/config/transport.js";
import type { ConnectionConfig } from "../../src/config/schema.js";
import { FaultProxy } from "../helpers/fault-proxy.js";
import { buildMqtt311Connection, buildMqtt5Client } from "../../src/mqtt/build-clients.js";
import { makeTestPki, type TestPki } from "../helpers/certs.js";
import { Mosquitto } from "../helpers/mosquitto.js";
import { pollUntil } from "../helpers/poll.js";
import { startTestService, testConnection, type TestService } from "../helpers/service.js";
import { TlsFront } from "../helpers/tls-front.js";

// Every transport of issue 14 with the real SDK client (MQTT 5 and 3.1.1) against local Mosquitto:
// it connects, a cut is recorded as one drop, and each connection_success line names the transport.

const PASSWORD = "s3cret";
const CUSTOM_AUTH = {
  authorizer_name: "fleet-auth",
  username: "dev",
  password: PASSWORD,
  token_key_name: "tok",
  token_value: "v1",
  token_signature: "ab+c/d=",
  websocket: false,
};
// What the SDK puts before its own metrics (`&SDK=IoTDeviceSDK/JS&Platform=…&Metadata=(CRTVersion=…)`,
// which vary with the versions and the transport): the authorizer, the token and the URL-encoded signature.
const SENT_USERNAME = {
  mqtt5: "dev?x-amz-customauthorizer-name=fleet-auth&tok=v1&x-amz-customauthorizer-signature=ab%2Bc%2Fd%3D&",
  mqtt311: "dev?x-amz-customauthorizer-name=fleet-auth&x-amz-customauthorizer-signature=ab%2Bc%2Fd%3D&tok=v1&",
};
const ca = () => ({ ca_file: pki.caCert });
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: "AKIDTRANSPORTTEST",
  AWS_SECRET_ACCESS_KEY: "not-a-secret",
  AWS_SESSION_TOKEN: undefined,
  AWS_PROFILE: undefined,
  AWS_EC2_METADATA_DISABLED: "true",
};

let dir: string;
let pki: TestPki;
let broker: Mosquitto;
let wsFront: TlsFront;
let authWsFront: TlsFront;
const savedEnv = new Map<string, string | undefined>();
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  // SigV4 signs with the default provider chain: dummy keys from the environment (Mosquitto ignores the signature).
  for (const [k, v] of Object.entries(AWS_ENV)) {
    savedEnv.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  dir = mkdtempSync(join(tmpdir(), "mde-transports-"));
  pki = makeTestPki(dir);
  broker = await Mosquitto.start(
    pki,
    { ws: { protocol: "websockets" }, authTls: { tls: true }, authPlain: {}, authWs: { protocol: "websockets" } },
    { logClients: true },
  );
  // Mosquitto 2.0.11 cannot start a TLS websockets listener: TLS ends in a front before it.
  wsFront = await TlsFront.start(pki, broker.port("ws"));
  authWsFront = await TlsFront.start(pki, broker.port("authWs"));
  // Discovery: each custom-auth client connects once while the listeners are open, Mosquitto logs
  // the username it sent, and the password file then holds exactly those usernames.
  const users: Record<string, string> = {};
  for (const protocol of ["mqtt5", "mqtt311"] as const) {
    for (const websocket of [false, true]) {
      const clientId = `discover-${protocol}-${websocket ? "ws" : "direct"}`;
      const port = websocket ? authWsFront.port : broker.port("authTls");
      await connectOnce(
        testConnection({ client_id: clientId, port, protocol, transport: "custom_auth", custom_auth: { ...CUSTOM_AUTH, websocket }, tls: ca() }),
      );
      const username = await pollUntil(() => broker.usernameOf(clientId), `${clientId} username in Mosquitto's log`, 5000);
      expect(username.startsWith(SENT_USERNAME[protocol]), username).toBe(true);
      users[username] = PASSWORD;
    }
  }
  for (const listener of ["authTls", "authPlain", "authWs"]) await broker.setUsers(listener, users);
}, 60_000);

afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  await wsFront.close();
  await authWsFront.close();
  await broker.stop();
  rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of savedEnv) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

async function proxyTo(port: number): Promise<FaultProxy> {
  const proxy = new FaultProxy("127.0.0.1", port);
  await proxy.listen();
  cleanups.push(() => proxy.close());
  return proxy;
}

async function serviceFor(c: ConnectionConfig): Promise<TestService> {
  const s = await startTestService(dir, [c]);
  cleanups.push(() => s.close());
  return s;
}

/** Connects a bare SDK client once (MQTT 5 or 3.1.1) and stops it. */
async function connectOnce(c: ConnectionConfig): Promise<void> {
  if (c.protocol === "mqtt5") {
    const client = buildMqtt5Client(c);
    const up = new Promise((resolve) => client.once("connectionSuccess", resolve));
    client.start();
    await up;
    const stopped = new Promise((resolve) => client.once("stopped", resolve));
    client.stop();
    await stopped;
    client.close();
    return;
  }
  const connection = buildMqtt311Connection(c);
  await connection.connect();
  await connection.disconnect();
}

const connected = (s: TestService, name: string) => pollUntil(() => (s.registry.get(name)?.isConnected ? true : undefined), `${name} connected`, 20_000);
const ofKind = (lines: Record<string, unknown>[], kind: string) => lines.filter((l) => l["kind"] === kind);

type Case = [string, "mqtt5" | "mqtt311", Transport, () => Partial<ConnectionConfig>, () => number];
const transports: Case[] = (["mqtt5", "mqtt311"] as const).flatMap((protocol): Case[] => [
  ["mtls (the default)", protocol, "mtls", () => ({ tls: { cert_file: pki.clientCert, key_file: pki.clientKey, ca_file: pki.caCert } }), () => broker.tlsPort],
  [
    "mtls_alpn",
    protocol,
    "mtls_alpn",
    () => ({ transport: "mtls_alpn", tls: { cert_file: pki.clientCert, key_file: pki.clientKey, ca_file: pki.caCert } }),
    () => broker.tlsPort,
  ],
  ["websocket_sigv4", protocol, "websocket_sigv4", () => ({ transport: "websocket_sigv4", region: "us-east-1", tls: ca() }), () => wsFront.port],
  ["custom_auth", protocol, "custom_auth", () => ({ transport: "custom_auth", custom_auth: CUSTOM_AUTH, tls: ca() }), () => broker.port("authTls")],
  [
    "custom_auth over WebSocket",
    protocol,
    "custom_auth",
    () => ({ transport: "custom_auth", custom_auth: { ...CUSTOM_AUTH, websocket: true }, tls: ca() }),
    () => authWsFront.port,
  ],
]);

describe("every transport against Mosquitto with the real SDK client", () => {
  it.each(transports)(
    "%s (%s): connects, a cut is one drop, each success names the transport",
    async (_label, protocol, transport, over, target) => {
      const proxy = await proxyTo(target());
      const settings = over();
      const name = `${transport}-${settings.custom_auth?.websocket === true ? "ws-" : ""}${protocol}`;
      const timing = protocol === "mqtt311" ? { keep_alive_seconds: 5, ping_timeout_ms: 2000 } : {};
      const s = await serviceFor(testConnection({ client_id: name, port: proxy.port, protocol, ...timing, ...settings }));
      await connected(s, name);
      expect(proxy.cut()).toBe(1);
      const resumed = `mqtt_client_connections_total{connection="${name}",event_type="resumed"}`;
      await pollUntil(async () => ((await s.value(resumed)) === 1 ? true : undefined), `${name} resumed`, 30_000);
      const lines = await s.journalLines();
      const successes = ofKind(lines, "connection_success");
      expect(successes.map((l) => [l["event_type"], l["transport"]])).toEqual([
        ["connected", transport],
        ["resumed", transport],
      ]);
      const drops = ofKind(lines, "connection_drop");
      expect(drops).toHaveLength(1);
      expect(String(drops[0]?.["error_name"])).toMatch(/^AWS_/);
    },
    60_000,
  );

  it("websocket_sigv4 signs the upgrade request with the default chain's credentials", () => {
    const upgrades = wsFront.firstBytes.filter((b) => b.startsWith("GET "));
    expect(upgrades.length).toBeGreaterThanOrEqual(2);
    for (const u of upgrades) {
      expect(u).toMatch(
        /^GET \/mqtt\?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDTRANSPORTTEST%2F\d{8}%2Fus-east-1%2Fiotdevicegateway%2Faws4_request&/,
      );
      expect(u).toMatch(/&X-Amz-Signature=[0-9a-f]{64}/);
    }
    // Custom auth over WebSocket signs nothing: the authorizer authenticates.
    for (const u of authWsFront.firstBytes) expect(u).not.toContain("X-Amz-Signature");
  });

  it.each([
    ["mtls_alpn", "x-amzn-mqtt-ca", true],
    ["custom_auth", "mqtt", false],
  ] as const)(
    "%s offers ALPN %s (a node:tls front records it; Mosquitto cannot)",
    async (transport, alpn, mutual) => {
      for (const protocol of ["mqtt5", "mqtt311"] as const) {
        const front = await TlsFront.start(pki, mutual ? broker.plainPort : broker.port("authPlain"), { mutual });
        cleanups.push(() => front.close());
        const settings: Partial<ConnectionConfig> =
          transport === "mtls_alpn"
            ? { transport, tls: { cert_file: pki.clientCert, key_file: pki.clientKey, ca_file: pki.caCert } }
            : { transport, custom_auth: CUSTOM_AUTH, tls: ca() };
        const name = `alpn-${transport}-${protocol}`;
        const s = await serviceFor(testConnection({ client_id: name, port: front.port, protocol, ...settings }));
        await connected(s, name);
        expect(front.alpnOffered[0]?.[0]).toBe(alpn);
        await s.close();
      }
    },
    60_000,
  );

  it("custom_auth with a wrong password: failed attempts, no success", async () => {
    const name = "custom-auth-wrong";
    const s = await serviceFor(
      testConnection({
        client_id: name,
        port: broker.port("authTls"),
        transport: "custom_auth",
        custom_auth: { ...CUSTOM_AUTH, password: "wrong" },
        tls: ca(),
      }),
    );
    await pollUntil(() => ((s.registry.get(name)?.connectionFailures ?? 0) >= 1 ? true : undefined), "a failed attempt", 20_000);
    const failure = ofKind(await s.journalLines(), "connection_failure")[0];
    // MQTT 5 CONNACK 0x86 (bad user name or password) or 0x87 (not authorized).
    expect([0x86, 0x87]).toContain(failure?.["connack_reason_code"]);
    expect(ofKind(await s.journalLines(), "connection_success")).toHaveLength(0);
  }, 30_000);
});

describe("websocket_sigv4 without credentials", () => {
  it.each(["mqtt5", "mqtt311"] as const)(
    "%s: failed attempts naming the error, no success",
    async (protocol) => {
      const saved = {
        key: process.env["AWS_ACCESS_KEY_ID"],
        secret: process.env["AWS_SECRET_ACCESS_KEY"],
        file: process.env["AWS_SHARED_CREDENTIALS_FILE"],
        config: process.env["AWS_CONFIG_FILE"],
      };
      delete process.env["AWS_ACCESS_KEY_ID"];
      delete process.env["AWS_SECRET_ACCESS_KEY"];
      process.env["AWS_SHARED_CREDENTIALS_FILE"] = join(dir, "no-credentials");
      process.env["AWS_CONFIG_FILE"] = join(dir, "no-config");
      try {
        const name = `sigv4-nocreds-${protocol}`;
        const s = await serviceFor(
          testConnection({ client_id: name, port: wsFront.port, protocol, transport: "websocket_sigv4", region: "us-east-1", tls: ca() }),
        );
        await pollUntil(() => ((s.registry.get(name)?.connectionFailures ?? 0) >= 1 ? true : undefined), `${name} failed attempt`, 20_000);
        const lines = await s.journalLines();
        expect(ofKind(lines, "connection_failure")[0]?.["error_name"]).toBe("AWS_AUTH_SIGNING_NO_CREDENTIALS");
        expect(ofKind(lines, "connection_success")).toHaveLength(0);
        // The diagnosis names the cause from these failures.
        const causes = async () =>
          ((await (await fetch(`${s.address}/diagnosis.json?connection=${name}`)).json()) as { findings: { cause: string }[] }).findings.map((f) => f.cause);
        await pollUntil(async () => ((await causes()).includes("auth_or_policy") ? true : undefined), `${name} diagnosed auth_or_policy`, 10_000);
      } finally {
        for (const [k, v] of [
          ["AWS_ACCESS_KEY_ID", saved.key],
          ["AWS_SECRET_ACCESS_KEY", saved.secret],
          ["AWS_SHARED_CREDENTIALS_FILE", saved.file],
          ["AWS_CONFIG_FILE", saved.config],
        ] as const) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
    },
    30_000,
  );
});
