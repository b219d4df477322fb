import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestPki, type TestPki } from "../helpers/certs.js";
import { freePort } from "../helpers/free-port.js";
import { Mosquitto } from "../helpers/mosquitto.js";
import { pollUntil } from "../helpers/poll.js";

// docs/library.md's ```ts example=NAME blocks, compiled against the built package (imported by its
// name, resolved through package.json's exports) and run against a local Mosquitto.
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const DOC = join(ROOT, "docs", "library.md");

/** The values the docs leave to the application, bound from the environment the test sets. */
const PRELUDE = `const { endpoint, port, cert, key, ca, metricsPort, httpPort, otlpUrl } = JSON.parse(process.env["EXAMPLE_SETTINGS"] ?? "{}") as {
  endpoint: string; port: number; cert: string; key: string; ca: string; metricsPort: number; httpPort: number; otlpUrl: string;
};
`;

/** Says when a connection is recorded, then waits for the test to let the example clean up. */
const CONNECTED = `
async function exampleConnected(connections: () => number): Promise<void> {
  while (connections() < 1) await new Promise((r) => setTimeout(r, 50));
  process.stdout.write("EXAMPLE CONNECTED\\n");
  await new Promise((r) => process.stdin.once("data", r));
}
`;

/** What the examples tell the reader to do with a collector: attach an MQTT 5 client to it. */
const ATTACH_CLIENT = `
import { iot as exampleIot, mqtt5 as exampleMqtt5 } from "aws-iot-device-sdk-v2";
import { instrumentMqtt5Client as exampleInstrument } from "mqtt-diagnostics-exporter";
const exampleClient = new exampleMqtt5.Mqtt5Client(
  exampleIot.AwsIotMqtt5ClientConfigBuilder.newDirectMqttBuilderWithMtlsFromPath(endpoint, cert, key).withCertificateAuthorityFromPath(undefined, ca).withPort(port).build(),
);
const exampleAdapter = exampleInstrument(exampleClient, collector);
exampleClient.start();
await exampleConnected(() => collector.getMetrics().total_connections);
exampleAdapter.detach();
exampleClient.stop();
`;

/** Per example: what runs after it (its "later:" comment, made code). */
const POSTLUDES: Record<string, string> = {
  mqtt5: `await exampleConnected(() => collector.getMetrics().total_connections);
console.log(collector.exportJson()); detach(); client.stop();
void publish;`,
  mqtt311: `await exampleConnected(() => collector.getMetrics().total_connections);
detach(); await connection.disconnect();
void publish;`,
  "own-meter-provider": `${ATTACH_CLIENT}detach(); await provider.shutdown();`,
  "push-only": `${ATTACH_CLIENT}await provider.shutdown();`,
  "fastify-plugin": `const collector = registry.getOrCreate("heater-1");
${ATTACH_CLIENT}await app.close();`,
  "existing-app": `const collector = registry.getOrCreate("heater-1");
${ATTACH_CLIENT}await app.close(); await provider.shutdown();`,
  // The test stands in for AWS IoT Core: the observer publishes heater-1's event until it is recorded.
  lifecycle: `const exampleEvent = JSON.stringify({ clientId: "heater-1", timestamp: Date.now(), eventType: "disconnected", sessionIdentifier: "s-1", principalIdentifier: "p", clientInitiatedDisconnect: false, disconnectReason: "DUPLICATE_CLIENTID", versionNumber: 1 });
await exampleConnected(() => {
  const seen = collector.lifecycleEventsByType.get("disconnected") ?? 0;
  if (seen < 1) observer.publish({ topicName: "$aws/events/presence/disconnected/heater-1", qos: mqtt5.QoS.AtLeastOnce, payload: exampleEvent }).catch(() => undefined);
  return seen;
});
console.log(JSON.stringify([...collector.serverDisconnectReasons]));
lifecycle.close(); observer.stop(); observer.close();`,
  // No process.exit() appended: the example's own SIGTERM handler must end the process.
  exit: `await exampleConnected(() => collector.getMetrics().total_connections);
process.kill(process.pid, "SIGTERM");`,
};
/** Examples that end the process themselves. */
const OWN_EXIT = new Set(["exit"]);

function examples(): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of readFileSync(DOC, "utf8").matchAll(/^```ts example=([\w-]+)\n([\s\S]*?)^```$/gm)) found.set(m[1] ?? "", m[2] ?? "");
  return found;
}

/** Type-checks every example with the project's strictness and emits JavaScript beside it. */
function compile(dir: string, files: string[]): string[] {
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    noUncheckedIndexedAccess: true,
    types: ["node"],
    skipLibCheck: true,
    rootDir: dir,
    outDir: dir,
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return diagnostics.map(
    (d) =>
      `${d.file ? `${d.file.fileName.slice(dir.length + 1)}:${d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
  );
}

const otlpBodies: string[] = [];
const otlp = createServer((req: IncomingMessage, res) => {
  let data = "";
  req.on("data", (c: Buffer) => (data += c.toString()));
  req.on("end", () => {
    otlpBodies.push(data);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});

let dir: string;
let pki: TestPki;
let broker: Mosquitto | undefined;
let settings: Record<string, string | number>;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!existsSync(join(ROOT, "dist", "src", "index.d.ts"))) throw new Error("the built package is missing: run npm run build (npm test does)");
  // Inside the repository, so that "mqtt-diagnostics-exporter" resolves to it (package self-reference).
  dir = mkdtempSync(join(ROOT, ".examples-"));
  pki = makeTestPki(dir);
  broker = await Mosquitto.start(pki);
  await new Promise<void>((r) => otlp.listen(0, "127.0.0.1", () => r()));
  settings = {
    endpoint: "127.0.0.1",
    port: broker.tlsPort,
    cert: pki.clientCert,
    key: pki.clientKey,
    ca: pki.caCert,
    metricsPort: await freePort(),
    httpPort: await freePort(),
    otlpUrl: `http://127.0.0.1:${(otlp.address() as AddressInfo).port}/v1/metrics`,
  };
}, 60_000);

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  await broker?.stop();
  await new Promise((r) => otlp.close(r));
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a compiled example; resolves once it has recorded a connection. */
async function start(name: string): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [join(dir, `${name}.js`)], {
    cwd: dir,
    env: { ...process.env, EXAMPLE_SETTINGS: JSON.stringify(settings) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.push(child);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const state = await pollUntil(
    () => (out.includes("EXAMPLE CONNECTED") ? "connected" : child.exitCode !== null ? "exited" : undefined),
    `${name} recording a connection`,
    20_000,
    50,
  );
  if (state === "exited") throw new Error(`${name} exited before recording a connection:\n${out}`);
  return { child, output: () => out, exited };
}

async function finish(run: { child: ChildProcess; output: () => string; exited: Promise<number | null> }): Promise<string> {
  run.child.stdin?.end("stop\n");
  const code = await run.exited;
  expect(code, run.output()).toBe(0);
  return run.output();
}

describe("docs/library.md examples", () => {
  it("are all marked, compile against the built package, and each has a run below", () => {
    const found = examples();
    expect([...found.keys()].sort()).toEqual(Object.keys(POSTLUDES).sort());
    const files = [...found].map(([name, code]) => {
      const file = join(dir, `${name}.ts`);
      writeFileSync(file, `${PRELUDE}${code}${CONNECTED}${POSTLUDES[name] ?? ""}\n${OWN_EXIT.has(name) ? "" : "process.exit(0);\n"}`);
      return file;
    });
    expect(compile(dir, files)).toEqual([]);
  }, 120_000);

  it("MQTT 5: the collector records the connection and exports it", async () => {
    const out = await finish(await start("mqtt5"));
    const doc = JSON.parse(out.slice(out.indexOf("EXAMPLE CONNECTED") + 18)) as { metrics: { total_connections: number } };
    expect(doc.metrics.total_connections).toBe(1);
  }, 60_000);

  it("MQTT 3.1.1: the collector records the connection", async () => {
    await finish(await start("mqtt311"));
  }, 60_000);

  it("own MeterProvider: its exporter shows the app's metric and ours side by side", async () => {
    const run = await start("own-meter-provider");
    const text = await pollUntil(
      async () => {
        const body = await (await fetch(`http://127.0.0.1:${settings["metricsPort"]}/metrics`)).text();
        return /^mqtt_client_connections_total\{[^}]*connection="heater-1"[^}]*\} 1$/m.test(body) ? body : undefined;
      },
      "mqtt_client_connections_total of heater-1 on the application's exporter",
      20_000,
    );
    expect(text).toMatch(/^app_requests_total(\{[^}]*\})? 1$/m);
    await finish(run);
  }, 60_000);

  it("Fastify plugin: our routes beside the app's own, with the connection on /metrics", async () => {
    const run = await start("fastify-plugin");
    const base = `http://127.0.0.1:${settings["httpPort"]}`;
    const metrics = await pollUntil(
      async () => {
        const body = await (await fetch(`${base}/metrics`)).text();
        return /^mqtt_client_connections_total\{[^}]*connection="heater-1"[^}]*\} 1$/m.test(body) ? body : undefined;
      },
      "mqtt_client_connections_total of heater-1 on the app's /metrics",
      20_000,
    );
    expect(metrics).toContain("mqtt_client_connected");
    expect(await (await fetch(`${base}/orders`)).json()).toEqual({ orders: 3 });
    const diagnostics = (await (await fetch(`${base}/diagnostics.json`)).json()) as Record<string, unknown>;
    expect(JSON.stringify(diagnostics)).toContain("heater-1");
    await finish(run);
  }, 60_000);

  it("an existing app with its own /, /healthz, /metrics and MeterProvider: one /metrics with both, ours under /mqtt", async () => {
    const run = await start("existing-app");
    const base = `http://127.0.0.1:${settings["httpPort"]}`;
    const metrics = await pollUntil(
      async () => {
        const body = await (await fetch(`${base}/metrics`)).text();
        return /^mqtt_client_connections_total\{[^}]*connection="heater-1"[^}]*\} 1$/m.test(body) ? body : undefined;
      },
      "mqtt_client_connections_total of heater-1 on the app's own /metrics",
      20_000,
    );
    expect(metrics).toMatch(/^app_requests_total\{[^}]*route="\/metrics"[^}]*\} [1-9]\d*$/m);
    expect(metrics.match(/^# TYPE mqtt_client_connections_total /gm)).toHaveLength(1);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "mine" });
    expect(await (await fetch(`${base}/`)).text()).toBe("my app");
    expect(await (await fetch(`${base}/mqtt/healthz`)).json()).toEqual({ status: "ok" });
    expect((await fetch(`${base}/mqtt/metrics`)).status).toBe(404);
    expect(JSON.stringify(await (await fetch(`${base}/mqtt/diagnostics.json`)).json())).toContain("heater-1");
    expect(await (await fetch(`${base}/mqtt`)).text()).toContain('href="/mqtt/diagnostics.json?connection=heater-1"');
    await finish(run);
  }, 60_000);

  it("lifecycle: an observer client's AWS events reach the device's collector", async () => {
    const out = await finish(await start("lifecycle"));
    expect(out).toContain('[["DUPLICATE_CLIENTID",1]]');
  }, 60_000);

  it("exit: the documented shutdown ends the process after client.stop(); client.close()", async () => {
    await finish(await start("exit"));
  }, 60_000);

  it("push only: shutting the provider down flushes the connection to the OTLP receiver", async () => {
    await finish(await start("push-only"));
    const pushed = otlpBodies.join("\n");
    expect(pushed).toContain("mqtt_client_connections");
    expect(pushed).toContain("heater-1");
  }, 60_000);
});
