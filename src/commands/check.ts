// `nixotel check`: a traced `nix flake check`. An adapter over the one run pipeline.
import type { CheckOptions } from "../cli/commands.js";
import { nowNs } from "../clock.js";
import { loadRunSettings } from "../config/quarantine.js";
import type { Context } from "../context.js";
import type { ExitCode } from "../errors.js";
import { driveFlakeCheck } from "../pipeline/drive-flake-check.js";
import { executeRun } from "../pipeline/execute-run.js";

export async function check(options: CheckOptions, context: Context): Promise<ExitCode> {
  const settings = await loadRunSettings(context.cwd);
  const ran = await executeRun({ ...options, checks: [], ...settings }, driveFlakeCheck, { context, clock: nowNs });
  return ran.exitCode;
}
