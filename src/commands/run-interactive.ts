// `nixotel run --interactive CHECK`: build the check's test driver and run it OUTSIDE the nix sandbox,
// so VMs can reach the host's collector (10.0.2.2:4318) and the prelude can send live. TRACEPARENT puts
// everything sent live into the run's trace, under a `nixos-test-driver` span; afterwards the driver's
// output folder (otel/*.jsonl, junit.xml) is read like a build output and the run is reported as usual.
import { join } from "node:path";
import { mkdir } from "node:fs/promises";
import type { RunOptions } from "../cli/commands.js";
import type { Context } from "../context.js";
import { expected, usageError, type ExitCode } from "../errors.js";
import { evalArgs } from "../nix/build.js";
import { nowNs, type BuildActivity } from "../nix/builds.js";
import { discoverChecksOf, type CheckInfo } from "../nix/checks.js";
import { buildTestDriver, runTestDriver, type DriverRun } from "../nix/test-driver.js";
import { startTelemetry } from "../pipeline/telemetry.js";
import { newRunId, resolveOutDir } from "../runs/files.js";
import { withDriverJunit } from "../ingest/junit-crosscheck.js";
import { newSpanId, newTraceId, SCOPE, type SpanData } from "../spans/model.js";
import { checkOutcome, type CheckOutcome } from "../pipeline/outcomes.js";

export async function runInteractive(options: RunOptions, context: Context): Promise<ExitCode> {
  if (options.checks.length !== 1) {
    throw usageError(
      expected(
        "exactly one CHECK with --interactive (it runs one test driver outside the sandbox)",
        options.checks.join(" ") || "none",
        "Name the check to run, e.g. `nixotel run --interactive my-test`.",
      ),
    );
  }
  const telemetry = startTelemetry(context, options.flake);
  const where = { cwd: context.cwd, env: context.env };
  const { system, checks } = await discoverChecksOf(
    { flake: options.flake, system: options.system, names: options.checks, evalArgs: evalArgs(options) },
    where,
  );
  const check = checks[0]!; // exactly one, checked above
  const startNs = nowNs();
  const driver = await buildTestDriver(check.installable, evalArgs(options), where);

  // The driver's -o folder: kept, pass or fail (no nix store discards it here).
  const outDir = join(resolveOutDir(context.cwd, options.out), "interactive", newRunId(new Date()));
  await mkdir(outDir, { recursive: true });
  const traceId = newTraceId();
  const driverSpanId = newSpanId();
  context.stderr(`nixotel: running ${driver}/bin/nixos-test-driver -o ${outDir} outside the sandbox\n`);
  const ran = await runTestDriver(driver, outDir, {
    ...where,
    env: { ...context.env, TRACEPARENT: `00-${traceId}-${driverSpanId}-01` },
    signal: context.signal,
    ...(options.timeout ? { timeoutMs: options.timeout * 1000 } : {}),
    onLine: (line) => context.stderr(`${check!.name}> ${line}\n`),
  });

  const outcome = await driverOutcome({ ...check!, outPath: outDir }, ran);
  const withDriverSpan = {
    ...outcome,
    ingested: {
      ...(outcome.ingested ?? { problems: [], source: "out" as const }),
      spans: [driverSpan(traceId, driverSpanId, driver, outDir, ran), ...(outcome.ingested?.spans ?? [])],
    },
  };
  const result = ran.cancelled ? "cancellation" : ran.timedOut ? "timeout" : outcome.status === "pass" ? "success" : "failure";
  return (await telemetry.finishing).finishRun(
    {
      command: "run",
      options,
      system,
      startNs,
      endNs: ran.endNs,
      result,
      outcomes: [withDriverSpan],
      dependencyBuilds: [],
      nixErrors: [],
      traceId,
    },
    telemetry,
    context,
  );
}

/** The check's outcome as if the driver run were its build (no build span: nothing was built by nix). */
async function driverOutcome(check: CheckInfo, ran: DriverRun): Promise<CheckOutcome> {
  const asBuild: BuildActivity = {
    drvPath: check.drvPath,
    machine: "",
    startNs: ran.startNs,
    endNs: ran.endNs,
    phases: [],
    lines: ran.lines,
    failed: ran.exitCode !== 0 && !ran.cancelled && !ran.timedOut,
  };
  const passed = ran.exitCode === 0 && !ran.cancelled && !ran.timedOut;
  const facts = {
    builds: [asBuild],
    nixErrors: [],
    cachedBefore: new Set<string>(),
    validAfter: new Set(passed ? [check.outPath] : []),
    startNs: ran.startNs,
    endNs: ran.endNs,
    timedOut: ran.timedOut,
    cancelled: ran.cancelled,
  };
  const { build: _driverRun, ...outcome } = await checkOutcome(check, facts, true);
  // A failed test keeps its folder here: its junit.xml is worth the cross-check too.
  return passed ? outcome : withDriverJunit(outcome, check.outPath);
}

function driverSpan(traceId: string, spanId: string, driver: string, outDir: string, ran: DriverRun): SpanData {
  return {
    traceId,
    spanId,
    name: "nixos-test-driver",
    kind: 1,
    startNs: ran.startNs,
    endNs: ran.endNs,
    attributes: {
      "nixos.test.driver": `${driver}/bin/nixos-test-driver`,
      "nixos.test.out_dir": outDir,
      "process.exit.code": ran.exitCode,
      "nixotel.interactive": true,
    },
    events: [],
    links: [],
    status: ran.exitCode === 0 && !ran.cancelled && !ran.timedOut ? { code: 1 } : { code: 2, message: `the driver exited ${ran.exitCode}` },
    scope: SCOPE,
  };
}
