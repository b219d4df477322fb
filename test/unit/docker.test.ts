import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { alertRules } from "../../dashboards/src/alerts.js";
import { promtool } from "../helpers/prometheus.js";
import { requireTool } from "../helpers/require-tool.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const read = (p: string) => readFileSync(`${ROOT}${p}`, "utf8");
const DOCKERFILE = read("Dockerfile");
/** Instructions with their arguments, continuation lines joined. */
const instructions = DOCKERFILE.replace(/\\\n\s*/g, " ")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.trimStart().startsWith("#"))
  .map((l) => l.trim());
const last = (keyword: string) => instructions.filter((l) => l.startsWith(`${keyword} `)).at(-1) ?? "";

describe("Dockerfile", () => {
  it("passes dockerfile-utils' linter without a diagnostic", () => {
    expect(validate(DOCKERFILE).map((d) => `${d.range.start.line + 1}: ${typeof d.message === "string" ? d.message : d.message.value}`)).toEqual([]);
  });

  it("is multi-stage, installs production dependencies only into the runtime and runs as non-root", () => {
    const stages = instructions.filter((l) => l.startsWith("FROM "));
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(DOCKERFILE).toMatch(/npm ci --omit=dev/);
    expect(instructions.filter((l) => l.startsWith("COPY --from=")).map((l) => l.split(" ")[1])).toEqual(
      expect.arrayContaining(["--from=deps", "--from=build"]),
    );
    expect(last("USER")).toMatch(/^USER (node|\d+)$/);
    expect(instructions.indexOf(last("USER"))).toBeGreaterThan(instructions.indexOf(stages.at(-1)!));
  });

  it("has a CA bundle in the runtime stage: aws-crt trusts the system store (no MQTT_CA_FILE for AWS IoT Core)", () => {
    const runtime = instructions.slice(instructions.findLastIndex((l) => l.startsWith("FROM ")));
    expect(runtime.filter((l) => l.startsWith("RUN ")).join("\n")).toMatch(/apt-get install [^&]*\bca-certificates\b/);
  });

  it("checks /healthz with node, carries OCI labels and uses exec-form ENTRYPOINT/CMD", () => {
    const health = last("HEALTHCHECK");
    expect(health).toMatch(/CMD \["node", "-e", .*\/healthz/);
    expect(health).not.toMatch(/curl|wget/);
    for (const key of ["title", "description", "licenses", "version", "revision", "created"]) expect(DOCKERFILE).toContain(`org.opencontainers.image.${key}=`);
    expect(last("ENTRYPOINT")).toMatch(/^ENTRYPOINT \[/);
    expect(last("CMD")).toMatch(/^CMD \[/);
    expect(last("ENTRYPOINT")).toContain("dist/cli/main.js");
  });

  it("runs the service with the memory settings docs/benchmarks.md measured at 1,000 connections", () => {
    const runtime = instructions.slice(instructions.findLastIndex((l) => l.startsWith("FROM ")));
    expect(last("ENTRYPOINT")).toMatch(/^ENTRYPOINT \["node", "--max-semi-space-size=1", "--memory-saver-mode", "dist\/cli\/main.js"\]$/);
    expect(runtime.filter((l) => l.startsWith("ENV ")).join("\n")).toMatch(
      /\bGLIBC_TUNABLES=glibc\.malloc\.arena_max=2:glibc\.malloc\.mmap_threshold=131072\b/,
    );
    expect(read("docs/benchmarks.md")).toMatch(/--max-semi-space-size=1[\s\S]*glibc\.malloc\.arena_max=2:glibc\.malloc\.mmap_threshold=131072/);
  });
});

describe("docker-compose.yml", () => {
  it("passes docker-compose config -q", () => {
    const r = spawnSync(requireTool("docker-compose"), ["-f", "docker-compose.yml", "config", "-q"], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, MQTT_ENDPOINT: "" },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("runs the exporter, Prometheus with the rules and Grafana with both datasources and the dashboards", () => {
    const compose = parse(read("docker-compose.yml")) as {
      name?: unknown;
      include?: unknown;
      services: Record<string, { volumes?: string[]; environment?: string[]; command?: string[] }>;
    };
    expect(compose.name).toBeUndefined();
    expect(compose.include).toBeUndefined();
    expect(Object.keys(compose.services).sort()).toEqual(["exporter", "grafana", "prometheus"]);
    expect(compose.services["prometheus"]!.volumes).toEqual(expect.arrayContaining(["./dashboards/alerts.yml:/etc/prometheus/dashboards/alerts.yml:ro"]));
    expect(compose.services["grafana"]!.volumes).toEqual(expect.arrayContaining(["./docker/grafana/provisioning:/etc/grafana/provisioning:ro"]));
    expect(compose.services["grafana"]!.environment).toEqual(expect.arrayContaining(["GF_AUTH_ANONYMOUS_ENABLED=true", "GF_AUTH_ANONYMOUS_ORG_ROLE=Viewer"]));
    const datasources = parse(read("docker/grafana/provisioning/datasources/datasources.yml")) as { datasources: { type: string }[] };
    expect(datasources.datasources.map((d) => d.type).sort()).toEqual(["cloudwatch", "prometheus"]);
    expect(read("docker/grafana/provisioning/datasources/datasources.yml")).not.toMatch(/secretKey|accessKey|password/i);
  });

  it("gives the exporter the data volume, the --config file and the certificates, as docs/dashboards.md says", () => {
    const exporter = (parse(read("docker-compose.yml")) as { services: Record<string, { volumes: string[]; command: string }> }).services["exporter"]!;
    const mounts = ["exporter-data:/app/data", "./docker/exporter.yml:/app/config/exporter.yml:ro", "./docker/certs:/app/certs:ro"];
    expect(exporter.volumes).toEqual(mounts);
    expect(exporter.command).toBe("${EXPORTER_ARGS:-serve}");
    const doc = read("docs/dashboards.md");
    for (const m of mounts) for (const part of m.split(":").slice(0, 2)) expect(doc).toContain(part.replace(/^\.\//, ""));
    expect(doc).toContain("EXPORTER_ARGS=serve --config /app/config/exporter.yml");
    const config = parse(read("docker/exporter.yml")) as { journal: { path: string }; connections: { tls: { cert_file: string; ca_file?: string } }[] };
    expect(config.journal.path.startsWith("/app/data/")).toBe(true);
    expect(config.connections[0]!.tls.cert_file.startsWith("/app/certs/")).toBe(true);
    expect(config.connections[0]!.tls.ca_file).toBeUndefined();
  });

  it("has a Prometheus config that promtool accepts, with the rule file resolved from docker/", () => {
    const r = spawnSync(promtool(), ["check", "config", `${ROOT}docker/prometheus.yml`], { encoding: "utf8" });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain("1 rule files found");
    expect(r.stdout).toContain(`SUCCESS: ${alertRules().length} rules found`);
  });
});
