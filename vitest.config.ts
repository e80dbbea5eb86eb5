import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests that run real nix share one store; keep files in parallel but bounded for 2-core machines.
    maxWorkers: 2,
  },
});
