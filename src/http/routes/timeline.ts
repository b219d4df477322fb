import { errorText } from "../../collector/error-info.js";
import type { ConnectionDropEvent, ConnectionEvent } from "../../collector/types.js";
import { esc } from "./html.js";

const WIDTH = 760;
const HEIGHT = 46;
/**
 * The timeline draws at most this many of the newest events of each kind: its cost stays the
 * same whatever `max_events_retained` is (with 200,000 retained, drawing all made `GET /` fail).
 */
export const TIMELINE_MAX_EVENTS = 5000;

export interface TimelineInput {
  connection: string;
  /** Successful connections, oldest first. */
  connections: readonly ConnectionEvent[];
  /** Drops, oldest first. */
  drops: readonly ConnectionDropEvent[];
  /** Times (ms) the client was stopped or the service shut down, oldest first. */
  stops: readonly number[];
  connected: boolean;
  nowMs: number;
}

const UP = 0;
const DROP = 1;
const STOP = 2;
interface Mark {
  t: number;
  kind: typeof UP | typeof DROP | typeof STOP;
  label: string;
}

/** The newest events of each kind, merged in time order (each input is already in time order). */
function marks(input: TimelineInput): Mark[] {
  const lists: Mark[][] = [
    input.connections.slice(-TIMELINE_MAX_EVENTS).map((e) => ({ t: Date.parse(e.timestamp), kind: UP, label: e.event_type })),
    input.drops.slice(-TIMELINE_MAX_EVENTS).map((d) => ({ t: Date.parse(d.timestamp), kind: DROP, label: errorText(d) })),
    input.stops.slice(-TIMELINE_MAX_EVENTS).map((t) => ({ t, kind: STOP, label: "stopped" })),
  ];
  // At most 3 × TIMELINE_MAX_EVENTS items: sorting them is bounded work.
  return lists.flat().sort((a, b) => a.t - b.t || a.kind - b.kind);
}

/** Where the drawing starts: where every kind's drawn events are complete, or an hour ago. */
function windowStart(input: TimelineInput, all: readonly Mark[]): number {
  let start = all[0]?.t ?? input.nowMs - 3_600_000;
  const cut = (n: number, firstKept: number | undefined) => {
    if (n > TIMELINE_MAX_EVENTS && firstKept !== undefined) start = Math.max(start, firstKept);
  };
  cut(input.connections.length, Date.parse(input.connections.at(-TIMELINE_MAX_EVENTS)?.timestamp ?? ""));
  cut(input.drops.length, Date.parse(input.drops.at(-TIMELINE_MAX_EVENTS)?.timestamp ?? ""));
  cut(input.stops.length, input.stops.at(-TIMELINE_MAX_EVENTS));
  return Math.min(start, input.nowMs);
}

/**
 * Sessions (green bars), drops (red ticks) and stops (grey ticks) as inline SVG, so the page
 * needs no script. A session ends at a drop or a stop; one followed by another connection with
 * neither in between has no known end and is drawn grey. Bars and ticks that fall in the same
 * pixel are merged, so the SVG never has more than a few elements per pixel column.
 */
export function timelineSvg(input: TimelineInput): string {
  const all = marks(input);
  const start = windowStart(input, all);
  const span = Math.max(1, input.nowMs - start);
  const x = (t: number) => ((Math.max(t, start) - start) / span) * (WIDTH - 2) + 1;
  const bars: { cls: string; x0: number; x1: number }[] = [];
  const ticks: { cls: string; col: number; first: Mark; last: Mark; n: number }[] = [];
  const bar = (cls: string, from: number, to: number) => {
    const [x0, x1] = [x(from), Math.max(x(from) + 1, x(to))];
    const prev = bars.at(-1);
    if (prev !== undefined && prev.cls === cls && x0 <= prev.x1 + 0.5) prev.x1 = Math.max(prev.x1, x1);
    else bars.push({ cls, x0, x1 });
  };
  const tick = (m: Mark) => {
    if (m.t < start) return;
    const cls = m.kind === DROP ? "drop" : "stop";
    const col = Math.round(x(m.t));
    const prev = ticks.at(-1);
    if (prev !== undefined && prev.cls === cls && prev.col === col) {
      prev.last = m;
      prev.n++;
    } else ticks.push({ cls, col, first: m, last: m, n: 1 });
  };
  let openAt: number | undefined;
  for (const m of all) {
    if (m.kind === UP) {
      // Connected again without a drop or stop in between: the previous session's end is unknown.
      if (openAt !== undefined) bar("unknown", openAt, m.t);
      openAt = m.t;
      continue;
    }
    if (openAt !== undefined) bar("session", openAt, m.t);
    openAt = undefined;
    tick(m);
  }
  if (openAt !== undefined) bar(input.connected ? "session" : "unknown", openAt, input.nowMs);
  const title = (k: (typeof ticks)[number]) =>
    k.n === 1
      ? `${new Date(k.first.t).toISOString()} ${k.first.label}`
      : `${k.n} ${k.cls === "drop" ? "drops" : "stops"} from ${new Date(k.first.t).toISOString()} to ${new Date(k.last.t).toISOString()}, the last ${k.last.label}`;
  const rects = bars.map((b) => `<rect class="${b.cls}" x="${b.x0.toFixed(1)}" y="10" width="${(b.x1 - b.x0).toFixed(1)}" height="18"/>`).join("");
  const lines = ticks.map((k) => `<line class="${k.cls}" x1="${k.col}" x2="${k.col}" y1="4" y2="34"><title>${esc(title(k))}</title></line>`).join("");
  return `<svg class="timeline" role="img" aria-label="Sessions and drops of ${esc(input.connection)}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">
<rect x="0" y="0" width="${WIDTH}" height="38" fill="#f4f4f4"/>${rects}${lines}
<text x="2" y="${HEIGHT - 1}" font-size="10">${esc(new Date(start).toISOString())}</text><text x="${WIDTH - 2}" y="${HEIGHT - 1}" font-size="10" text-anchor="end">now</text></svg>`;
}
