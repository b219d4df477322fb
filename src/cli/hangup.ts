import type { Logger } from "pino";
import type { WebEdge } from "../http/web-config/web-edge.js";

export interface Hangup {
  /** What SIGHUP flushes once the service runs (the journal). */
  flushWith(flush: () => Promise<void>): void;
  stop(): void;
}

/**
 * SIGHUP, as exporter-toolkit users expect: flush the journal, then reload the web config
 * (basic_auth_users, headers, client checks, rate limit, certificates) without a restart. A file
 * that does not load keeps the running config and logs one line. Without a handler, SIGHUP ended
 * the process with 129 and lost what the journal had not flushed yet.
 */
export function watchHangup(logger: Logger, webConfigFile: string | undefined, edge: WebEdge | undefined): Hangup {
  let flush: (() => Promise<void>) | undefined;
  let queue = Promise.resolve();
  const once = async () => {
    try {
      await flush?.();
    } catch (err) {
      logger.error(`SIGHUP: journal flush failed: ${(err as Error).message}`);
    }
    if (webConfigFile === undefined || edge === undefined) {
      logger.info("SIGHUP: journal flushed (no --web.config.file to reload)");
      return;
    }
    try {
      const { readWebSettings } = await import("../http/web-config/web-settings.js");
      await edge.reload(readWebSettings(webConfigFile));
      logger.info({ file: webConfigFile }, "SIGHUP: journal flushed, web config reloaded");
    } catch (err) {
      logger.error(`SIGHUP: ${webConfigFile} not reloaded, keeping the running web config: ${(err as Error).message}`);
    }
  };
  // One reload at a time, in order: two quick SIGHUPs end with the newest file.
  const handler = () => {
    queue = queue.then(once);
  };
  process.on("SIGHUP", handler);
  return {
    flushWith(f) {
      flush = f;
    },
    stop() {
      process.off("SIGHUP", handler);
    },
  };
}
