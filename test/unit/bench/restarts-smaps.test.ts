import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { smapsProfile } from "../../../bench/restarts/smaps.js";

const KB = 1024;
const mapping = (range: string, perms: string, path: string, rssKb: number, anonKb: number) =>
  [
    `${range} ${perms} 00000000 00:00 0${path === "" ? "" : `          ${path}`}`,
    `Size:  ${rssKb} kB`,
    `Rss:  ${rssKb} kB`,
    `Anonymous:  ${anonKb} kB`,
    "VmFlags: rd wr mr mw me ac",
  ].join("\n");

describe("restarts bench: where resident pages lie", () => {
  it("sorts mappings by what backs them, a 64 MiB-aligned anonymous mapping plus its reserve as a malloc arena", () => {
    const smaps = [
      mapping("00400000-00500000", "r-xp", "/opt/node/bin/node", 1000, 0),
      mapping("00600000-00700000", "rw-p", "/opt/node/bin/node", 10, 10),
      mapping("01000000-02000000", "rw-p", "[heap]", 300, 300),
      // An arena: 0x7f0004000000 is 64 MiB-aligned; 16 MiB used + 48 MiB reserved.
      mapping("7f0004000000-7f0005000000", "rw-p", "", 200, 200),
      mapping("7f0005000000-7f0008000000", "---p", "", 0, 0),
      // Not an arena: aligned but followed by nothing that completes 64 MiB.
      mapping("7f0008000000-7f0008100000", "rw-p", "", 50, 50),
      mapping("7f1000000000-7f1000100000", "r-xp", "/app/node_modules/aws-crt/dist/bin/linux-x64-glibc/aws-crt-nodejs.node", 40, 0),
      mapping("7f2000000000-7f2000100000", "r--p", "/usr/lib/x86_64-linux-gnu/libc.so.6", 30, 0),
      mapping("7ffc00000000-7ffc00100000", "rw-p", "[stack]", 5, 5),
      "",
    ].join("\n");
    expect(smapsProfile(smaps, "/opt/node/bin/node")).toEqual({
      rss: 1635 * KB,
      anonymous: 565 * KB,
      fileBacked: 1070 * KB,
      binary: 1010 * KB,
      crt: 40 * KB,
      files: 30 * KB,
      brk: 300 * KB,
      arenas: 200 * KB,
      anon: 55 * KB,
    });
  });

  it("reads this process's own smaps: the parts add up to RSS", () => {
    const p = smapsProfile(readFileSync("/proc/self/smaps", "utf8"), process.execPath);
    expect(p.rss).toBeGreaterThan(0);
    expect(p.binary + p.crt + p.files + p.brk + p.arenas + p.anon).toBe(p.rss);
    expect(p.anonymous + p.fileBacked).toBe(p.rss);
  });
});
