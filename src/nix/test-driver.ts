// A NixOS test's driver, built and run outside the nix sandbox (`nixotel run --interactive`): the
// `.driver` of a runNixOSTest derivation (nixos/lib/testing/driver.nix, `passthru.driver`) is
// `bin/nixos-test-driver`, wrapped with the test's extraDriverArgs; `-o DIR` is its `driver.out_dir`.
import { z } from "zod";
import { environmentError, expected } from "../errors.js";
import { nowNs } from "../clock.js";
import { type LogLine } from "./builds.js";
import { streamTool, type ToolEnvironment } from "../process.js";
import { nixJson } from "./command.js";

// What `nix build --json` prints: one entry per installable, with its outputs' store paths.
const BuildJson = z.array(z.object({ outputs: z.object({ out: z.string().optional() }).optional() }));

/** `nix build --no-link --json <installable>.driver` → the driver's store path. */
export async function buildTestDriver(installable: string, evalArgs: readonly string[], where: ToolEnvironment): Promise<string> {
  const attr = `${installable}.driver`;
  const built = await nixJson(["build", "--no-link", "--json", ...evalArgs, attr], where, `Building the test driver ${attr}`, BuildJson);
  const out = built[0]?.outputs?.out;
  if (!out)
    throw environmentError(
      expected(`an output path from \`nix build --json ${attr}\``, JSON.stringify(built), "Is it a runNixOSTest check, with a .driver?"),
    );
  return out;
}

export interface DriverRun {
  exitCode: number;
  timedOut: boolean;
  cancelled: boolean;
  startNs: bigint;
  endNs: bigint;
  /** The driver's stderr (its log), each line with the time it arrived. */
  lines: LogLine[];
}

export interface DriverOptions extends ToolEnvironment {
  signal: AbortSignal;
  timeoutMs?: number;
  /** Each log line as it arrives, for the terminal. */
  onLine: (line: string) => void;
}

/** Runs `<driver>/bin/nixos-test-driver -o <outDir>` to completion and keeps its log. */
export async function runTestDriver(driver: string, outDir: string, options: DriverOptions): Promise<DriverRun> {
  const lines: LogLine[] = [];
  const startNs = nowNs();
  const result = await streamTool(`${driver}/bin/nixos-test-driver`, ["-o", outDir], {
    cwd: options.cwd,
    env: options.env,
    signal: options.signal,
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    onStderrLine: (text) => {
      lines.push({ timeNs: nowNs(), text });
      options.onLine(text);
    },
  });
  return { ...result, startNs, endNs: nowNs(), lines };
}
