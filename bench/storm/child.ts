import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { FirstReport, ScrapeReport } from "./scraper.js";

const SCRIPT = fileURLToPath(new URL("./scraper.js", import.meta.url));

/** The report the child sends before it exits. */
function report<R>(args: string[]): { child: ReturnType<typeof fork>; done: Promise<R> } {
  const child = fork(SCRIPT, args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const done = new Promise<R>((resolve, reject) => {
    child.once("message", (m) => resolve(m as R));
    child.once("exit", (code) => reject(new Error(`the scraper process exited (${code}) without a report`)));
  });
  return { child, done };
}

/** A scraper in its own process: /metrics every `everyMs` ms until `stop()`. */
export function startScraper(url: string, everyMs: number): { stop(): Promise<ScrapeReport> } {
  const { child, done } = report<ScrapeReport>(["scrape", url, String(everyMs)]);
  return {
    stop() {
      child.send("stop");
      return done;
    },
  };
}

/** The first /metrics, with /healthz probed every 10 ms meanwhile, from another process. */
export const firstScrape = (url: string): Promise<FirstReport> => report<FirstReport>(["first", url]).done;
