// The image as a user runs it: built from this repository by podman (scripts/image-test.sh prepares
// podman and the base), started the way docker-compose.yml starts it, with its mounts.
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { makeTestPki, type TestPki } from "../helpers/certs.js";
import { freePort } from "../helpers/free-port.js";
import { Mosquitto } from "../helpers/mosquitto.js";
import { buildImage, httpBody, metricSum, podman, podmanOk } from "../helpers/podman.js";
import { pollUntil } from "../helpers/poll.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CACHE = process.env["MDE_IMAGE_CACHE"] ?? join(tmpdir(), "mqtt-diagnostics-image");
const RUN = `mde-image-${process.pid}`;
// Tags of this run only: two runs at once must not test each other's image.
const IMAGE = `localhost/mqtt-diagnostics-exporter:${RUN}`;
/** The image plus the test CA in its system store (as an operator's private CA would be). */
const TRUSTING = `localhost/mqtt-diagnostics-exporter:${RUN}-trusting`;

// The exporter's mounts, read from the compose file so the test runs what the docs describe.
const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8")) as { services: { exporter: { volumes: string[] } } };
const mountTarget = (source: string) => {
  const v = compose.services.exporter.volumes.find((m) => m.startsWith(`${source}:`));
  if (v === undefined) throw new Error(`docker-compose.yml: the exporter mounts no ${source}`);
  return v.split(":")[1]!;
};
const DATA_DIR = mountTarget("exporter-data");
const CONFIG_FILE = mountTarget("./docker/exporter.yml");
const CERTS_DIR = mountTarget("./docker/certs");
const example = parse(readFileSync(join(ROOT, "docker/exporter.yml"), "utf8")) as { journal: { path: string } };

let dir: string;
let pki: TestPki;
let broker: Mosquitto;
let configFile: string;
let certsDir: string;

const ctr = (name: string) => `${RUN}-${name}`;
const urls = new Map<string, string>();

/**
 * Runs container `name` in the background; the base URL of its HTTP port. On the host network (to
 * reach the test broker on loopback) it listens on a free loopback port, else 9883 is published there.
 */
async function start(name: string, args: string[], image: string, command: string[] = []): Promise<string> {
  const port = await freePort();
  const hostNetwork = args.includes("host");
  const publish = hostNetwork ? [] : ["-p", `127.0.0.1:${port}:9883`];
  const listen = hostNetwork ? ["--web.listen-address", `127.0.0.1:${port}`] : [];
  await podmanOk(["run", "-d", "--pull=never", "--name", ctr(name), ...publish, ...args, image, ...command, ...listen]);
  urls.set(name, `http://127.0.0.1:${port}`);
  return `http://127.0.0.1:${port}`;
}
/** As compose runs the exporter for configured connections: the config file and certificates. */
const configMounts = () => ["-v", `${configFile}:${CONFIG_FILE}:ro`, "-v", `${certsDir}:${CERTS_DIR}:ro`, "--network", "host"];
const metricsOf = (url: string) => pollUntil(() => httpBody(`${url}/metrics`), `${url}/metrics`, 30_000, 200);
const metric = async (url: string, name: string) => metricSum((await httpBody(`${url}/metrics`)) ?? "", name, 'connection="tls"');
/** The journal file as the host sees it in the data volume. */
async function journalLines(): Promise<{ kind: string }[]> {
  const volume = await podmanOk(["volume", "inspect", `${RUN}-data`, "--format", "{{.Mountpoint}}"]);
  const text = readFileSync(join(volume, example.journal.path.slice(DATA_DIR.length)), "utf8");
  return text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as { kind: string });
}

beforeAll(async () => {
  mkdirSync(CACHE, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "mde-image-"));
  pki = makeTestPki(dir);
  broker = await Mosquitto.start(pki);

  await buildImage(ROOT, IMAGE, "exporter", CACHE, 280_000);
  const size = Number(await podmanOk(["image", "inspect", IMAGE, "--format", "{{.Size}}"]));
  console.log(`image ${IMAGE}: ${(size / 1e6).toFixed(0)} MB (${size} bytes)`);

  const trusting = join(dir, "trusting");
  mkdirSync(trusting);
  copyFileSync(pki.caCert, join(trusting, "test-ca.crt"));
  writeFileSync(
    join(trusting, "Dockerfile"),
    `FROM ${IMAGE}\nUSER root\nCOPY test-ca.crt /usr/local/share/ca-certificates/mde-test-ca.crt\nRUN update-ca-certificates\nUSER node\n`,
  );
  await buildImage(trusting, TRUSTING, "trusting", CACHE, 60_000);

  // The certificates the container reads as user node; no ca_file: the system store decides.
  certsDir = join(dir, "certs");
  mkdirSync(certsDir);
  for (const [from, to] of [
    [pki.clientCert, "device.pem.crt"],
    [pki.clientKey, "private.pem.key"],
  ] as const) {
    copyFileSync(from, join(certsDir, to));
    chmodSync(join(certsDir, to), 0o644);
  }
  chmodSync(dir, 0o755);
  configFile = join(dir, "exporter.yml");
  const connection = {
    name: "tls",
    endpoint: "127.0.0.1",
    port: broker.tlsPort,
    client_id: "image-test",
    tls: { cert_file: `${CERTS_DIR}/device.pem.crt`, key_file: `${CERTS_DIR}/private.pem.key` },
  };
  writeFileSync(configFile, stringify({ ...example, connections: [connection] }));
  chmodSync(configFile, 0o644);
}, 400_000);

afterAll(async () => {
  const names = (await podman(["ps", "-a", "--filter", `name=${RUN}-`, "--format", "{{.Names}}"])).stdout.split("\n").filter((n) => n !== "");
  if (names.length > 0) await podman(["rm", "-f", "-t", "0", ...names]);
  await podman(["volume", "rm", "-f", `${RUN}-data`]);
  await podman(["rmi", "-f", TRUSTING]);
  // Untagged, not removed: its layers stay as the next build's cache.
  await podman(["untag", IMAGE]);
  await broker?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

describe("the container image", () => {
  it("runs the demo by default: /healthz and /metrics answer, as a non-root user, and its HEALTHCHECK passes", async () => {
    const url = await start("demo", [], IMAGE);
    await pollUntil(() => httpBody(`${url}/healthz`), "/healthz", 30_000, 200);
    expect(await metricsOf(url)).toMatch(/^mqtt_client_connected\{connection="demo"\} [01]$/m);
    expect(await podmanOk(["exec", ctr("demo"), "id", "-u"])).not.toBe("0");
    expect(await podmanOk(["image", "inspect", IMAGE, "--format", "{{.Config.User}}"])).toBe("node");
    const health = await podman(["healthcheck", "run", ctr("demo")]);
    expect(health.code, health.stdout + health.stderr).toBe(0);
  });

  it("connects over TLS to a broker whose CA is in the system store, without MQTT_CA_FILE", async () => {
    const url = await start("tls", ["-v", `${RUN}-data:${DATA_DIR}`, ...configMounts()], TRUSTING, ["serve", "--config", CONFIG_FILE]);
    await pollUntil(async () => ((await metric(url, "mqtt_client_connected")) === 1 ? true : undefined), "connected over TLS", 60_000, 250);
    expect(await podmanOk(["exec", ctr("tls"), "id", "-un"])).toBe("node");
  });

  it("without that CA in the store the same connection is refused: the store is what made it work", async () => {
    const url = await start("untrusting", configMounts(), IMAGE, ["serve", "--config", CONFIG_FILE]);
    await pollUntil(async () => ((await metric(url, "mqtt_client_connection_failures_total")) > 0 ? true : undefined), "a failed TLS attempt", 60_000, 250);
    expect(await metric(url, "mqtt_client_connected")).toBe(0);
    await podmanOk(["rm", "-f", "-t", "0", ctr("untrusting")]);
  });

  it("stops on SIGTERM with exit code 0 before podman's 5 s kill, the journal flushed to the data volume", async () => {
    const before = Date.now();
    await podmanOk(["stop", "-t", "5", ctr("tls")], 30_000);
    console.log(`podman stop: ${Date.now() - before} ms`);
    // 0, not 137: the process ended by itself within the 5 s before podman sends SIGKILL.
    expect(await podmanOk(["inspect", ctr("tls"), "--format", "{{.State.ExitCode}}"])).toBe("0");
    const journal = await journalLines();
    expect(journal.map((l) => l.kind)).toContain("connection_success");
    // Written while stopping: the shutdown flushed the journal's buffer to the volume.
    expect(journal.at(-1)?.kind).toBe("connection_stopped");
  });

  it("keeps the journal across a restart: counters continue", async () => {
    const connectionsBefore = (await journalLines()).filter((l) => l.kind === "connection_success").length;
    expect(connectionsBefore).toBeGreaterThan(0);
    await podmanOk(["start", ctr("tls")]);
    const url = urls.get("tls")!;
    const total = await pollUntil(
      async () => {
        const n = await metric(url, "mqtt_client_connections_total");
        return n > connectionsBefore ? n : undefined;
      },
      "the connection after the restart, counted on top of the journal's",
      60_000,
      250,
    );
    expect(total).toBe(connectionsBefore + 1);
  });
});
