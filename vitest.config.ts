import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "tests/**/*.test.ts"],
    globalSetup: ["tests/support/build-dist.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Tests run real nix; offline machines have no binary cache, so nix must not look for one.
    env: { NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =" },
    // Real nix builds and servers: two workers fit a 2-core machine.
    maxWorkers: 2,
  },
});
