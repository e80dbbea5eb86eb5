// `nixotel run [CHECK…]`: build the flake's checks (or, with --interactive, run one test's driver
// outside the sandbox) and report the run. An adapter over the one run pipeline.
import type { RunOptions } from "../cli/commands.js";
import { nowNs } from "../clock.js";
import { loadRunSettings } from "../config/quarantine.js";
import type { Context } from "../context.js";
import { expected, usageError, type ExitCode } from "../errors.js";
import { driveBuild } from "../pipeline/drive-build.js";
import { executeRun } from "../pipeline/execute-run.js";

export async function run(options: RunOptions, context: Context): Promise<ExitCode> {
  const { interactive, ...request } = options;
  if (interactive && request.retries)
    throw usageError(
      expected("--retries without --interactive (a test driver run by hand is not retried)", `--retries ${request.retries}`),
    );
  const settings = await loadRunSettings(context.cwd);
  // The interactive and repeat drivers (and what they load) only when asked for: most runs start nix sooner without them.
  const drive = interactive
    ? (await import("../pipeline/drive-interactive.js")).driveInteractive
    : request.repeat
      ? (await import("../pipeline/drive-repeat.js")).driveRepeat
      : driveBuild;
  const ran = await executeRun({ ...request, ...settings }, drive, { context, clock: nowNs });
  return ran.exitCode;
}
