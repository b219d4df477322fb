import { dirname, resolve } from "node:path";
import { readYamlFile } from "../../config/yaml-file.js";
import { WebEdge } from "./web-edge.js";
import { webSettingsFrom, type WebSettings } from "./web-settings.js";

export type { WebConfigFile } from "./schema.js";

export interface WebConfig {
  file: string;
  settings: WebSettings;
  /** The enforcement: server options, the request hooks, and a reload that swaps them in place. */
  edge: WebEdge;
  /** What the HTTP app needs: TLS server options and the plugin. */
  appDeps: ReturnType<WebEdge["appDeps"]>;
}

/** Validates a parsed web config and builds its enforcement. */
export function webConfigFrom(value: unknown, baseDir: string, file = "(web config)"): WebConfig {
  const settings = webSettingsFrom(value, baseDir);
  const edge = new WebEdge(settings);
  return { file, settings, edge, appDeps: edge.appDeps() };
}

// eslint-disable-next-line @typescript-eslint/require-await -- async so every failure is a rejection
export async function loadWebConfig(file: string): Promise<WebConfig> {
  return webConfigFrom(readYamlFile(file, "--web.config.file"), dirname(resolve(file)), file);
}
