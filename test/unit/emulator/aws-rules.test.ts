import { describe, expect, it } from "vitest";
import { AWS_LIMITS, ConnectThrottle, PublishRate, effectiveKeepAliveSeconds, topicMatches } from "../../../src/emulator/aws-rules.js";

describe("AWS IoT Core's rules", () => {
  it("keep-alive: 30-1200 s accepted, less raised to 30, 0 or more than 1200 held to 1200", () => {
    expect([0, 5, 29, 30, 600, 1200, 1201, 5000].map((k) => effectiveKeepAliveSeconds(k, AWS_LIMITS))).toEqual([1200, 30, 30, 30, 600, 1200, 1200, 1200]);
  });

  it("one accepted CONNECT per second per client ID; refused attempts do not count", () => {
    const t = new ConnectThrottle(1000);
    expect(t.admit("a", 0)).toBe(true);
    expect(t.admit("b", 10)).toBe(true);
    expect(t.admit("a", 999)).toBe(false);
    expect(t.admit("a", 1000)).toBe(true);
    expect(t.admit("a", 1500)).toBe(false);
    expect(t.admit("a", 2000)).toBe(true);
  });

  it("more than 100 publishes within one second", () => {
    const r = new PublishRate();
    for (let i = 0; i < 100; i++) expect(r.exceeded(i, 100)).toBe(false);
    expect(r.exceeded(999, 100)).toBe(true);
    const slow = new PublishRate();
    for (let i = 0; i < 300; i++) expect(slow.exceeded(i * 10, 100)).toBe(false);
  });

  it("topic filters of the deny list", () => {
    expect(topicMatches("forbidden/#", "forbidden/a/b")).toBe(true);
    expect(topicMatches("forbidden/#", "forbidden")).toBe(true);
    expect(topicMatches("a/+/c", "a/b/c")).toBe(true);
    expect(topicMatches("a/+/c", "a/b/d")).toBe(false);
    expect(topicMatches("a/b", "a/b/c")).toBe(false);
  });
});
