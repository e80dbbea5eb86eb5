// `nixotel run [CHECK…]`: build the flake's checks (or, with --interactive, run one test's driver
// outside the sandbox) and report the run. An adapter over the one run pipeline.
import type { RunOptions } from "../cli/commands.js";
import { nowNs } from "../clock.js";
import type { Context } from "../context.js";
import { expected, usageError, type ExitCode } from "../errors.js";
import { asksTheSame, startDiscovery, type EarlyDiscovery } from "../pipeline/early-discovery.js";

/** `started`: the discovery main began from argv before yargs parsed it (src/cli/quick-run.ts). */
export async function run(options: RunOptions, context: Context, started?: EarlyDiscovery): Promise<ExitCode> {
  const { interactive, ...request } = options;
  if (interactive && request.retries)
    throw usageError(
      expected("--retries without --interactive (a test driver run by hand is not retried)", `--retries ${request.retries}`),
    );
  // A plain run asks nix for its checks before the pipeline loads: nix evaluates while Node loads it.
  const kept = started && !interactive && !request.repeat && asksTheSame(started.request, request) ? started : undefined;
  if (started !== kept) started?.cancel();
  const early = kept ?? (interactive || request.repeat ? undefined : startDiscovery(request, context, nowNs));
  try {
    const [{ loadRunSettings }, { executeRun }, { driveDiscovered }] = await Promise.all([
      import("../config/quarantine.js"),
      import("../pipeline/execute-run.js"),
      import("../pipeline/drive-build.js"),
    ]);
    const settings = await loadRunSettings(context.cwd);
    // The interactive and repeat drivers (and what they load) only when asked for.
    const drive = early
      ? driveDiscovered(() => early.discovering, early)
      : interactive
        ? (await import("../pipeline/drive-interactive.js")).driveInteractive
        : (await import("../pipeline/drive-repeat.js")).driveRepeat;
    const ran = await executeRun({ ...request, ...settings }, drive, { context, clock: nowNs });
    return ran.exitCode;
  } catch (error) {
    early?.cancel();
    throw error;
  }
}
