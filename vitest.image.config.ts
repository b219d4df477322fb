import { defineConfig } from "vitest/config";

// The container image test (scripts/image-test.sh sets up podman and the base, then runs this):
// one file, one worker; building the image takes minutes on a cold cache.
export default defineConfig({
  test: {
    include: ["test/image/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    maxWorkers: 1,
    dangerouslyIgnoreUnhandledErrors: false,
  },
});
