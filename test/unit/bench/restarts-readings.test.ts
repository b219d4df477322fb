import { describe, expect, it } from "vitest";
import { openFilesLimit } from "../../../bench/restarts/broker.js";
import { connectedGauges, memoryRow } from "../../../bench/restarts/readings.js";

describe("restarts bench readings", () => {
  it("reads mqtt_client_connected per connection and nothing else", () => {
    const text = [
      "# TYPE mqtt_client_connected gauge",
      'mqtt_client_connected{connection="c0"} 1',
      'mqtt_client_connected{connection="c1"} 0',
      'mqtt_client_connected_total{connection="c2"} 0',
      'mqtt_client_connections_total{connection="c3"} 4',
      "",
    ].join("\n");
    expect([...connectedGauges(text)]).toEqual([
      ["c0", 1],
      ["c1", 0],
    ]);
  });

  it("reads the soft open-files limit from /proc/self/limits", () => {
    const limits =
      "Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 524288               files\n";
    expect(openFilesLimit(limits)).toBe(1024);
    expect(openFilesLimit(limits.replace("1024  ", "unlimited"))).toBe(Number.POSITIVE_INFINITY);
    expect(openFilesLimit("")).toBeUndefined();
  });

  it("reports memory in whole MB", () => {
    const u = { rss: 300 * 2 ** 20, heapUsed: 100.4 * 2 ** 20, heapTotal: 150 * 2 ** 20, external: 2 ** 19, arrayBuffers: 0 };
    expect(memoryRow(u)).toEqual({ rss: 300, heapUsed: 100, heapTotal: 150, external: 1 });
  });
});
