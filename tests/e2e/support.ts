// Fixture flakes whose builders run the real prelude and emitter under the stand-in driver.
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { copyFixture, type FlakeCopy } from "../runner/support/fixture.js";

export const repoRoot = join(import.meta.dirname, "..", "..");
/** The real files the fixtures run, copied next to their flake.nix (a flake sees only its own folder). */
const E2E_FILES = [
  "tests/prelude/standin_driver.py",
  "scripts/nixotel_prelude.py",
  "scripts/emit_test_span.sh",
  "modules/lib/constants.json",
];

export async function copyE2eFixture(scenario: string): Promise<FlakeCopy> {
  const flake = await copyFixture(scenario);
  await Promise.all(E2E_FILES.map((file) => copyFile(join(repoRoot, file), join(flake.dir, file.split("/").pop()!))));
  return flake;
}
