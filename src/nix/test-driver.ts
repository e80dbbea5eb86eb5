// A NixOS test's driver, built and run outside the nix sandbox (`nixotel run --interactive`): the
// `.driver` of a runNixOSTest derivation (nixos/lib/testing/driver.nix, `passthru.driver`) is
// `bin/nixos-test-driver`, wrapped with the test's extraDriverArgs; `-o DIR` is its `driver.out_dir`.
import { environmentError } from "../errors.js";
import { nowNs, type LogLine } from "./builds.js";
import { nixOutput, streamTool, type ToolEnvironment } from "./process.js";

/** `nix build --no-link --json <installable>.driver` → the driver's store path. */
export async function buildTestDriver(installable: string, evalArgs: readonly string[], where: ToolEnvironment): Promise<string> {
  const attr = `${installable}.driver`;
  const json = await nixOutput(["build", "--no-link", "--json", ...evalArgs, attr], where, `Building the test driver ${attr}`);
  const out = (JSON.parse(json) as { outputs?: { out?: string } }[])[0]?.outputs?.out;
  if (!out)
    throw environmentError(
      `nix built ${attr} but reported no output path (got ${json.trim() || "nothing"}); is it a runNixOSTest check with a .driver?`,
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
