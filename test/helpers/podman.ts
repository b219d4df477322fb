import { execFile } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { requireTool } from "./require-tool.js";

export interface PodmanResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** podman with the settings scripts/image-test.sh wrote (CONTAINERS_CONF is in the environment). */
export function podman(args: string[], timeoutMs = 60_000): Promise<PodmanResult> {
  return new Promise((resolve, reject) => {
    execFile(requireTool("podman"), args, { encoding: "utf8", maxBuffer: 64 << 20, timeout: timeoutMs }, (err, stdout, stderr) => {
      const code = err === null ? 0 : (err as { code?: unknown }).code;
      if (typeof code !== "number") reject(new Error(`podman ${args.join(" ")}: ${err?.message ?? "no exit code"}\n${stderr}`));
      else resolve({ code, stdout, stderr });
    });
  });
}

/** podman that must succeed; its trimmed output. */
export async function podmanOk(args: string[], timeoutMs?: number): Promise<string> {
  const r = await podman(args, timeoutMs);
  if (r.code !== 0) throw new Error(`podman ${args.join(" ")}: exit ${r.code}\n${(r.stdout + r.stderr).slice(-3000)}`);
  return r.stdout.trim();
}

/** The image each stage of a build ended with, from podman build's output ("[1/3] STEP ..." then "--> ID"). */
function stageImages(output: string): string[] {
  const last = new Map<string, string>();
  let stage = "";
  for (const line of output.split("\n")) {
    stage = /^\[(\d+)\/\d+\] STEP/.exec(line)?.[1] ?? stage;
    const id = /^--> ([0-9a-f]{8,})$/.exec(line)?.[1];
    if (id !== undefined) last.set(stage, id);
  }
  return [...last.values()];
}

/**
 * Builds `context` as `tag`, offline: the base is the local stand-in (--pull=never); RUN steps use the
 * host's network for apt and npm. Where the host trusts an extra CA for the registry (NODE_EXTRA_CA_CERTS),
 * it is mounted for the build only, so no layer keeps it. --format docker: OCI drops HEALTHCHECK.
 * The stages' images stay as the next build's cache; those of the previous build of `name` that this
 * one did not reuse are removed, so repeated runs do not pile up images.
 */
export async function buildImage(context: string, tag: string, name: string, workDir: string, timeoutMs: number): Promise<void> {
  const mounts: string[] = [];
  const hostCa = process.env["NODE_EXTRA_CA_CERTS"];
  if (hostCa !== undefined && existsSync(hostCa)) {
    const npmrc = join(workDir, "build-npmrc");
    writeFileSync(npmrc, "cafile=/run/host-ca.crt\n");
    mounts.push("-v", `${hostCa}:/run/host-ca.crt:ro`, "-v", `${npmrc}:/usr/local/etc/npmrc:ro`);
  }
  const log = join(workDir, `build-${name}.log`);
  const r = await podman(["build", "--format", "docker", "--pull=never", "--network", "host", ...mounts, "-t", tag, context], timeoutMs);
  writeFileSync(log, r.stdout + r.stderr);
  if (r.code !== 0) throw new Error(`podman build ${context} failed (exit ${r.code}; log: ${log})\n${(r.stdout + r.stderr).slice(-3000)}`);
  const record = join(workDir, `stages-${name}.txt`);
  const current = stageImages(r.stdout + r.stderr);
  const previous = existsSync(record)
    ? readFileSync(record, "utf8")
        .split("\n")
        .filter((id) => id !== "")
    : [];
  const stale = previous.filter((id) => !current.some((c) => c.startsWith(id) || id.startsWith(c)));
  // Without -f: an image still in use (tagged elsewhere, a container) stays.
  if (stale.length > 0) await podman(["rmi", ...stale]);
  writeFileSync(record, `${current.join("\n")}\n`);
}

/** One GET: the body of a 200 answer, undefined for anything else (for pollUntil). */
export async function httpBody(url: string): Promise<string | undefined> {
  try {
    const res = await fetch(url);
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

/** The sum of a metric's samples whose labels contain `labels` (e.g. 'connection="tls"'). */
export function metricSum(exposition: string, name: string, labels: string): number {
  return exposition
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`) && l.includes(labels))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}
