import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { watchHangup, type Hangup } from "../../../src/cli/hangup.js";
import { loadWebConfig } from "../../../src/http/web-config/load-web-config.js";
import { captureLog } from "../../helpers/log-capture.js";
import { pollUntil } from "../../helpers/poll.js";

// In process: the handler is the one SIGHUP runs (process.emit calls the same listeners a
// delivered signal does). test/integration/cli/hangup.test.ts sends real signals to the service.

const dir = mkdtempSync(join(tmpdir(), "mde-hangup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hangups: Hangup[] = [];
afterEach(() => {
  for (const h of hangups.splice(0)) h.stop();
});
const users = (file: string, names: string[]) =>
  writeFileSync(file, `basic_auth_users:\n${names.map((n) => `  ${n}: ${bcrypt.hashSync("pw", 4)}\n`).join("")}`);
const sighup = () => process.emit("SIGHUP", "SIGHUP");

describe("watchHangup", () => {
  it("flushes, then reloads the web config; a file that does not load keeps the running one and logs one line", async () => {
    const file = join(dir, "web.yml");
    users(file, ["alice"]);
    const web = await loadWebConfig(file);
    const log = captureLog("info");
    const order: string[] = [];
    const h = watchHangup(log.logger, file, web.edge);
    hangups.push(h);
    h.flushWith(() => {
      order.push("flush");
      return Promise.resolve();
    });
    users(file, ["bob"]);
    sighup();
    await pollUntil(() => log.lines.find((l) => l.msg === "SIGHUP: journal flushed, web config reloaded"), "the reload");
    expect(order).toEqual(["flush"]);
    expect([...(web.edge.settings.users?.keys() ?? [])]).toEqual(["bob"]);

    writeFileSync(file, "basic_auth_users:\n  carol: plaintext\n");
    sighup();
    const refused = await pollUntil(() => log.lines.find((l) => l.msg.includes("not reloaded")), "the refusal");
    expect(refused.msg).toBe(
      `SIGHUP: ${file} not reloaded, keeping the running web config: basic_auth_users.carol: must be a bcrypt hash (e.g. from htpasswd -nBC 10 "" | tr -d ':\\n')`,
    );
    expect(refused.level).toBe(50);
    expect([...(web.edge.settings.users?.keys() ?? [])]).toEqual(["bob"]);
  });

  it("a failed flush is logged and the reload still happens", async () => {
    const file = join(dir, "web-flush.yml");
    users(file, ["alice"]);
    const web = await loadWebConfig(file);
    const log = captureLog("info");
    const h = watchHangup(log.logger, file, web.edge);
    hangups.push(h);
    h.flushWith(() => Promise.reject(new Error("disk full")));
    users(file, ["dave"]);
    sighup();
    await pollUntil(() => log.lines.find((l) => l.msg.endsWith("web config reloaded")), "the reload");
    expect(log.lines.filter((l) => l.level === 50).map((l) => l.msg)).toEqual(["SIGHUP: journal flush failed: disk full"]);
    expect(web.edge.settings.users?.has("dave")).toBe(true);
  });

  it("two quick SIGHUPs are handled one after the other and end with the newest file", async () => {
    const file = join(dir, "web-twice.yml");
    users(file, ["alice"]);
    const web = await loadWebConfig(file);
    const log = captureLog("info");
    hangups.push(watchHangup(log.logger, file, web.edge));
    users(file, ["erin"]);
    sighup();
    users(file, ["frank"]);
    sighup();
    await pollUntil(() => (log.lines.filter((l) => l.msg.endsWith("web config reloaded")).length === 2 ? true : undefined), "both reloads");
    expect([...(web.edge.settings.users?.keys() ?? [])]).toEqual(["frank"]);
  });

  it("without --web.config.file it only flushes; after stop() SIGHUP is no longer handled here", async () => {
    const log = captureLog("info");
    let flushes = 0;
    const h = watchHangup(log.logger, undefined, undefined);
    h.flushWith(() => {
      flushes++;
      return Promise.resolve();
    });
    const before = process.listenerCount("SIGHUP");
    sighup();
    await pollUntil(() => log.lines.find((l) => l.msg === "SIGHUP: journal flushed (no --web.config.file to reload)"), "the flush");
    h.stop();
    expect(process.listenerCount("SIGHUP")).toBe(before - 1);
    expect(flushes).toBe(1);
  });
});
