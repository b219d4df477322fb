/** `mqtt_client_connected` per connection, from a Prometheus text exposition. */
export function connectedGauges(exposition: string): Map<string, number> {
  const gauges = new Map<string, number>();
  for (const m of exposition.matchAll(/^mqtt_client_connected\{connection="([^"]*)"\} (\S+)$/gm)) gauges.set(m[1] ?? "", Number(m[2]));
  return gauges;
}

export interface MemoryRow {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

/**
 * process.memoryUsage() in whole MB: RSS, the JS heap in use and reserved, and `external`
 * (Buffers and what native modules report; aws-crt's own allocations are in RSS only).
 */
export function memoryRow(u: NodeJS.MemoryUsage): MemoryRow {
  return { rss: mb(u.rss), heapUsed: mb(u.heapUsed), heapTotal: mb(u.heapTotal), external: mb(u.external) };
}
