import { describe, expect, it } from "vitest";
import { sampleRss, vmRssBytes } from "../../../bench/restarts/rss-sampler.js";
import { pollUntil } from "../../helpers/poll.js";

describe("the restarts bench's RSS sampler", () => {
  it("reads VmRSS from a /proc/PID/status text, in bytes", () => {
    expect(vmRssBytes("Name:\tnode\nVmHWM:\t  210000 kB\nVmRSS:\t  163840 kB\nRssAnon:\t 100 kB\n")).toBe(163_840 * 1024);
    expect(vmRssBytes("Name:\tkworker/0:1\nState:\tI (idle)\n")).toBeUndefined();
  });

  it("samples a live process until stopped, and a process that is gone without failing", async () => {
    const own = sampleRss(process.pid, 5);
    await pollUntil(() => (own.samples.length >= 3 ? true : undefined), "three samples");
    const samples = own.stop();
    expect(samples.every((b) => b > 1024 * 1024)).toBe(true);
    // No such pid (above the kernel's pid_max): ticks, no readings, no error.
    const gone = sampleRss(2 ** 22 + 1, 5);
    await pollUntil(() => (gone.ticks >= 2 ? true : undefined), "two ticks");
    expect(gone.stop()).toEqual([]);
  });
});
