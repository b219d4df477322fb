import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The container image test needs root and podman: scripts/image-test.sh runs it (npm test does).
    exclude: ["test/image/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration suites start real brokers and Prometheus; two cores, so no more than two files at once.
    maxWorkers: 2,
    // Stated, not defaulted: an unhandled rejection or uncaught exception anywhere fails the run.
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
