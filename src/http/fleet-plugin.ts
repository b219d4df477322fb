import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Clock } from "../clock.js";
import { CursorError, DEVICE_SORTS, devicePage, FLEET_CAUSE_NAMES, type DeviceSort } from "../fleet/device-list.js";
import { deviceDetail } from "../fleet/device-view.js";
import type { FleetState } from "../fleet/fleet-state.js";
import { errorBody } from "./errors.js";
import type { CauseHistory } from "./routes/cause-history.js";
import { deviceListHtml } from "./routes/device-list-page.js";
import { devicePageHtml } from "./routes/device-page.js";
import { fleetPageRoute } from "./routes/fleet-page.js";

export interface FleetPluginOptions {
  state: FleetState;
  clock: Clock;
  /** Devices by cause over time, for the `/fleet` page (sampled by the caller). */
  history?: CauseHistory;
}

/** `format=html|json`, else the Accept header: a browser (text/html before any JSON) gets the page. */
export function wantsHtml(format: string | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === "html";
  const types = (accept ?? "").split(",").map((t) => t.split(";")[0]?.trim().toLowerCase() ?? "");
  const html = types.indexOf("text/html");
  const json = types.findIndex((t) => t === "application/json" || t.endsWith("+json"));
  return html >= 0 && (json < 0 || html < json);
}

/** The most devices one page holds, and the records of each kind a device's detail shows. */
export const MAX_PAGE = 1000;
const DETAIL_LIMIT = 50;

interface DevicesQuery {
  cause?: string;
  sort?: DeviceSort;
  cursor?: string;
  limit?: number;
  format?: "html" | "json";
}

/** `?format=`: a page for people or JSON for programs (default: by the Accept header). */
const FORMAT = { type: "string", enum: ["html", "json"] } as const;

/**
 * The fleet's per-device views (issue 23): `/fleet/devices?cause=&sort=&cursor=&limit=`, one
 * page of devices with their first cause (a page for a browser), and `/fleet/devices/{clientId}`, that device's export
 * document and diagnosis, built from its compact state on request (a page for a browser);
 * `/fleet`, the fleet view as HTML. Never per-device series.
 */
export const fleetRoutes = fp<FleetPluginOptions>(
  (app: FastifyInstance, o, done) => {
    app.get<{ Querystring: DevicesQuery }>(
      "/fleet/devices",
      {
        schema: {
          querystring: {
            type: "object",
            additionalProperties: false,
            properties: {
              cause: { type: "string", enum: [...FLEET_CAUSE_NAMES] },
              sort: { type: "string", enum: [...DEVICE_SORTS] },
              cursor: { type: "string", minLength: 1, maxLength: 400 },
              limit: { type: "integer", minimum: 1, maximum: MAX_PAGE },
              format: FORMAT,
            },
          },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const query = {
          sort: q.sort ?? "drops",
          limit: q.limit ?? 100,
          ...(q.cause !== undefined ? { cause: q.cause } : {}),
          ...(q.cursor !== undefined ? { cursor: q.cursor } : {}),
        };
        try {
          const page = devicePage(o.state, query);
          reply.header("vary", "accept");
          if (wantsHtml(q.format, request.headers.accept)) return reply.type("text/html; charset=utf-8").send(deviceListHtml(page, query));
          return page;
        } catch (err) {
          if (err instanceof CursorError) return reply.code(400).send(errorBody(400, "Bad Request", err.message));
          throw err;
        }
      },
    );
    app.get<{ Params: { clientId: string }; Querystring: { format?: "html" | "json" } }>(
      "/fleet/devices/:clientId",
      {
        schema: {
          params: { type: "object", properties: { clientId: { type: "string", minLength: 1, maxLength: 256 } }, required: ["clientId"] },
          querystring: { type: "object", additionalProperties: false, properties: { format: FORMAT } },
        },
      },
      async (request, reply) => {
        const device = o.state.device(request.params.clientId);
        if (device === undefined)
          return reply.code(404).send(errorBody(404, "Not Found", `no device with client ID '${request.params.clientId}' in the fleet`));
        const now = o.clock.now();
        const detail = deviceDetail(device, now, DETAIL_LIMIT);
        // One URL for people and programs: a browser's link (Grafana's, the pages') opens a page.
        reply.header("vary", "accept");
        if (wantsHtml(request.query.format, request.headers.accept)) return reply.type("text/html; charset=utf-8").send(devicePageHtml(detail, now));
        return reply.type("application/json; charset=utf-8").send(JSON.stringify(detail, null, 2));
      },
    );
    fleetPageRoute(app, o.state, o.history);
    done();
  },
  { name: "mqtt-diagnostics-fleet", fastify: "5.x" },
);
