// This repository is a nixotel project too: its own NixOS tests (tests/nixos, flake checks) are generated
// from nixotel.json, and must not drift from the templates.
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../support/cli.js";

it("the repository's own generated tests match their templates", async () => {
  const result = await runCli(["generate", "--check"], { cwd: join(import.meta.dirname, "../..") });
  expect(result.stdout).toBe("All 3 generated test(s) match their templates.\n");
  expect(result.code).toBe(0);
});
