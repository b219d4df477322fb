import { Agent, request } from "node:http";
import bcrypt from "bcryptjs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { BcryptVerifier } from "../../../../src/http/web-config/bcrypt-verifier.js";
import { webConfigFrom } from "../../../../src/http/web-config/load-web-config.js";
import { startTestApp, type TestApp } from "../../../helpers/app.js";
import { pollUntil } from "../../../helpers/poll.js";

let t: TestApp | undefined;
afterAll(async () => t?.close());

function get(url: string, auth: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers: { authorization: `Basic ${Buffer.from(auth).toString("base64")}` } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("a flood of wrong passwords from several connections", () => {
  it("the flood gets 401 or a fast 429 while a known user's scrape still succeeds", async () => {
    // Cost 10, as htpasswd -nBC 10 makes: ~70-100 ms a comparison.
    const web = webConfigFrom({ basic_auth_users: { prometheus: bcrypt.hashSync("s3cret", 10) } }, "/");
    t = await startTestApp(["heater-1"], web.appDeps);
    const url = `${await t.app.listen({ port: 0, host: "127.0.0.1" })}/metrics`;
    const scraper = new Agent({ keepAlive: true, maxSockets: 1 });
    expect(await get(url, "prometheus:s3cret", scraper)).toBe(200);

    const statuses: number[] = [];
    let stop = false;
    let n = 0;
    const attackers = Array.from({ length: 16 }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      while (!stop) statuses.push(await get(url, `prometheus:guess-${n++}`, agent));
      agent.destroy();
    });
    // The verification queue is full (some guesses are refused with 429): the scrape still passes.
    await pollUntil(() => (statuses.includes(429) ? true : undefined), "a 429 from a full queue", 30_000);
    const during = await get(url, "prometheus:s3cret", scraper);
    stop = true;
    await Promise.all(attackers);
    scraper.destroy();
    expect(during).toBe(200);
    expect(new Set(statuses)).toEqual(new Set([401, 429]));
  });
});

describe("a flood from one address right after a start (no verdict cached yet)", () => {
  it("a scraper from another address gets 200 on its first try, with 60 flooding connections", async () => {
    const web = webConfigFrom({ basic_auth_users: { prometheus: bcrypt.hashSync("s3cret", 10) } }, "/");
    const app = await startTestApp(["heater-1"], web.appDeps);
    const url = `${await app.app.listen({ port: 0, host: "127.0.0.1" })}/metrics`;
    const statuses: number[] = [];
    let stop = false;
    let n = 0;
    // Every loopback address reaches the server: the flood comes from 127.0.0.2, the scraper from 127.0.0.1.
    const attackers = Array.from({ length: 60 }, async () => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1, localAddress: "127.0.0.2" });
      while (!stop) statuses.push(await get(url, `prometheus:guess-${n++}`, agent));
      agent.destroy();
    });
    try {
      await pollUntil(() => (statuses.includes(429) ? true : undefined), "a 429: the flood's share of the queue is full", 30_000);
      const scraper = new Agent({ keepAlive: true, maxSockets: 1, localAddress: "127.0.0.1" });
      const first = await get(url, "prometheus:s3cret", scraper);
      scraper.destroy();
      expect(first).toBe(200);
    } finally {
      stop = true;
      await Promise.all(attackers);
      await app.close();
    }
  });
});

describe("BcryptVerifier", () => {
  const verifiers: BcryptVerifier[] = [];
  afterEach(async () => {
    for (const v of verifiers.splice(0)) await v.close();
  });
  const verifier = (maxQueued?: number) => {
    const v = new BcryptVerifier(maxQueued);
    verifiers.push(v);
    return v;
  };
  const hash = bcrypt.hashSync("s3cret", 4);

  it("compares on the worker: ok for the password, fail otherwise, fail for a hash that is not one", async () => {
    const v = verifier();
    expect(await v.verify("s3cret", hash)).toBe("ok");
    expect(await v.verify("wrong", hash)).toBe("fail");
    expect(await v.verify("s3cret", "not a bcrypt hash")).toBe("fail");
    expect(v.pending).toBe(0);
  });

  it("one comparison runs and `maxQueued` wait; beyond that, busy at once", async () => {
    const v = verifier(2);
    const dear = bcrypt.hashSync("s3cret", 8);
    const verdicts = [v.verify("a", dear), v.verify("b", dear), v.verify("s3cret", dear)];
    expect(v.pending).toBe(3);
    expect(await v.verify("c", dear)).toBe("busy");
    expect(await Promise.all(verdicts)).toEqual(["fail", "fail", "ok"]);
    expect(v.pending).toBe(0);
  });

  it("waiting comparisons are served round robin between sources: one source's backlog does not delay another's", async () => {
    const v = new BcryptVerifier({ maxQueued: 8, maxQueuedPerSource: 3 });
    verifiers.push(v);
    const dear = bcrypt.hashSync("s3cret", 6);
    const order: string[] = [];
    const job = (name: string, source: string, password = "wrong") =>
      v.verify(password, dear, source).then((verdict) => {
        order.push(name);
        return verdict;
      });
    const flood = ["a1", "a2", "a3", "a4"].map((n) => job(n, "10.0.0.1"));
    // a1 runs, a2-a4 wait: the source's share is full, so a5 is refused at once.
    expect(await v.verify("x", dear, "10.0.0.1")).toBe("busy");
    const scraper = job("scraper", "10.0.0.2", "s3cret");
    expect(await Promise.all([...flood, scraper])).toEqual(["fail", "fail", "fail", "fail", "ok"]);
    expect(order).toEqual(["a1", "a2", "scraper", "a3", "a4"]);
  });

  it("a full queue makes room for a new source by refusing the newest comparison of the source holding most", async () => {
    const v = new BcryptVerifier({ maxQueued: 4, maxQueuedPerSource: 4 });
    verifiers.push(v);
    const dear = bcrypt.hashSync("s3cret", 6);
    const flood = ["a1", "a2", "a3", "a4", "a5"].map(() => v.verify("wrong", dear, "10.0.0.1"));
    const scraper = v.verify("s3cret", dear, "10.0.0.2");
    expect(await Promise.all([...flood, scraper])).toEqual(["fail", "fail", "fail", "fail", "busy", "ok"]);
    // With one comparison waiting per source and the queue full, a newcomer is refused.
    const few = new BcryptVerifier({ maxQueued: 2, maxQueuedPerSource: 1 });
    verifiers.push(few);
    const held = [few.verify("x", dear, "a"), few.verify("x", dear, "b"), few.verify("x", dear, "c")];
    expect(await few.verify("x", dear, "d")).toBe("busy");
    await Promise.all(held);
  });

  it("close fails what waits or runs, and every later comparison", async () => {
    const v = verifier(4);
    const dear = bcrypt.hashSync("s3cret", 8);
    const verdicts = [v.verify("s3cret", dear), v.verify("s3cret", dear)];
    await v.close();
    expect(await Promise.all(verdicts)).toEqual(["fail", "fail"]);
    expect(await v.verify("s3cret", hash)).toBe("fail");
  });
});
