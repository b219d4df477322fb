import { chromium, type Browser } from "playwright-core";
import { requireTool } from "./require-tool.js";

/** Headless Chromium for the page tests, quiet (no updates, sync or first-run work). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: requireTool("chromium"),
    args: ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}
