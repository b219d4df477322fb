import type { DevicePage, DeviceSort } from "../../fleet/device-list.js";
import { plural } from "../../text/plural.js";
import { deviceTable, FLEET_STYLE } from "./fleet-status.js";
import { esc } from "./html.js";

/** The query of one page of `/fleet/devices`, as the links to the next page and to the JSON carry it on. */
export interface DeviceListQuery {
  cause?: string;
  sort: DeviceSort;
  limit: number;
  cursor?: string;
}

function href(q: DeviceListQuery, more: Record<string, string>): string {
  const params = new URLSearchParams();
  if (q.cause !== undefined) params.set("cause", q.cause);
  params.set("sort", q.sort);
  params.set("limit", String(q.limit));
  for (const [k, v] of Object.entries(more)) params.set(k, v);
  return `/fleet/devices?${params.toString()}`;
}

/** One page of `/fleet/devices` as HTML (a browser's request): the devices, each linked to its page, and the next page. */
export function deviceListHtml(page: DevicePage, q: DeviceListQuery): string {
  const what = q.cause === undefined ? "All devices" : `Devices whose first cause is ${esc(q.cause)}`;
  const next = page.next_cursor === null ? "" : `<p><a class="next" href="${esc(href(q, { cursor: page.next_cursor }))}">Next ${q.limit}</a></p>`;
  const json = href(q, { format: "json", ...(q.cursor !== undefined ? { cursor: q.cursor } : {}) });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${what}: mqtt-diagnostics-exporter fleet</title><style>${FLEET_STYLE}</style></head>
<body><h1>${what}</h1>
<nav><a href="/">status</a><a href="/fleet">fleet</a><a class="json" href="${esc(json)}">JSON</a></nav>
<p>${plural(page.total, "device")}${q.sort === "drops" ? ", most drops first" : ", by client ID"}; ${page.devices.length} on this page.</p>
${page.devices.length > 0 ? deviceTable(page.devices, q.cause === undefined) : "<p>None.</p>"}
${next}</body></html>`;
}
