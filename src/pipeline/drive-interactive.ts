// How `nixotel run --interactive CHECK` drives its one check: build the NixOS test's driver and run it
// OUTSIDE the nix sandbox, so VMs can reach the host's collector (10.0.2.2:4318) and the prelude can
// send live. TRACEPARENT puts everything sent live into the run's trace, under a `nixos-test-driver`
// span; the driver's output folder (otel/*.jsonl, junit.xml) is then read like a build output.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { expected, usageError } from "../errors.js";
import { withDriverJunit } from "../ingest/junit-crosscheck.js";
import { evalArgs } from "../nix/build.js";
import type { BuildActivity } from "../nix/builds.js";
import { discoverChecksOf } from "../nix/checks.js";
import { buildTestDriver, runTestDriver, type DriverRun } from "../nix/test-driver.js";
import { newRunId, resolveOutDir } from "../runs/files.js";
import { newSpanId, newTraceId, SCOPE, type SpanData } from "../spans/model.js";
import { incomingParent, traceparentOf } from "../spans/trace-context.js";
import { ATTR, INTERNAL, statusOf } from "../spans/vocabulary.js";
import type { Driver } from "./driven.js";
import type { CheckOutcome } from "./outcomes.js";

export const driveInteractive: Driver = async (request, { context, clock, stream }) => {
  if (request.checks.length !== 1) {
    throw usageError(
      expected(
        "exactly one CHECK with --interactive (it runs one test driver outside the sandbox)",
        request.checks.join(" ") || "none",
        "Name the check to run, e.g. `nixotel run --interactive my-test`.",
      ),
    );
  }
  const where = { cwd: context.cwd, env: context.env };
  const found = await discoverChecksOf(
    { flake: request.flake, system: request.system, names: request.checks, evalArgs: evalArgs(request) },
    where,
  );
  const check = found.checks[0]!; // exactly one, checked above
  const startNs = clock();
  const driver = await buildTestDriver(check.installable, evalArgs(request), where);

  // The driver's -o folder: kept, pass or fail (no nix store discards it here).
  const outDir = join(resolveOutDir(context.cwd, request.out), "interactive", newRunId(new Date()));
  await mkdir(outDir, { recursive: true });
  // Under a CI job's span (TRACEPARENT) the run joins its trace: the driver's spans must too.
  const traceId = stream?.traceId ?? incomingParent(context.env)?.traceId ?? newTraceId();
  const driverSpanId = newSpanId();
  // run.json says the check runs while the driver does (a nixotel killed meanwhile leaves an incomplete
  // run naming it); its outcome is known only when the driver exits, the run's end.
  const recorded = { ...check, outPath: outDir };
  stream?.planned(found.system, [recorded]);
  stream?.building(recorded);
  context.stderr(`nixotel: running ${driver}/bin/nixos-test-driver -o ${outDir} outside the sandbox\n`);
  const ran = await runTestDriver(driver, outDir, {
    ...where,
    env: { ...context.env, TRACEPARENT: traceparentOf(traceId, driverSpanId) },
    signal: context.signal,
    ...(request.timeout ? { timeoutMs: request.timeout * 1000 } : {}),
    onLine: (line) => context.stderr(`${check.name}> ${line}\n`),
  });

  const passed = isPassed(ran);
  // The driver run stands for the check's build (no build span of its own: nix did not build it).
  const asBuild: BuildActivity = {
    drvPath: check.drvPath,
    machine: "",
    startNs: ran.startNs,
    endNs: ran.endNs,
    phases: [],
    lines: ran.lines,
    failed: !passed && !ran.cancelled && !ran.timedOut,
  };
  const completeOutcome = async (judged: CheckOutcome): Promise<CheckOutcome> => {
    const { build: _driverRun, ...outcome } = judged;
    // A failed test keeps its folder here: its junit.xml is worth the cross-check too.
    const checked = passed ? outcome : await withDriverJunit(outcome, outDir);
    const spans = [driverSpan(traceId, driverSpanId, driver, outDir, ran), ...(checked.ingested?.spans ?? [])];
    return { ...checked, ingested: { ...(checked.ingested ?? { problems: [], source: "out" as const }), spans } };
  };
  return {
    system: found.system,
    checks: [recorded],
    builds: [asBuild],
    nixErrors: [],
    cachedBefore: new Set<string>(),
    validAfter: new Set(passed ? [outDir] : []),
    startNs,
    buildStartNs: ran.startNs,
    endNs: ran.endNs,
    exitCode: ran.exitCode,
    timedOut: ran.timedOut,
    cancelled: ran.cancelled,
    evalFailures: [],
    outputsReadable: true,
    traceId,
    completeOutcome,
  };
};

/** The driver run outside the sandbox ended with exit 0, neither stopped nor timed out. */
const isPassed = (ran: DriverRun) => ran.exitCode === 0 && !ran.cancelled && !ran.timedOut;

function driverSpan(traceId: string, spanId: string, driver: string, outDir: string, ran: DriverRun): SpanData {
  return {
    traceId,
    spanId,
    name: "nixos-test-driver",
    kind: INTERNAL,
    startNs: ran.startNs,
    endNs: ran.endNs,
    attributes: {
      [ATTR.driverPath]: `${driver}/bin/nixos-test-driver`,
      [ATTR.driverOutDir]: outDir,
      [ATTR.processExitCode]: ran.exitCode,
      [ATTR.interactive]: true,
    },
    events: [],
    links: [],
    status: statusOf(isPassed(ran) ? "pass" : "fail", `the driver exited ${ran.exitCode}`),
    scope: SCOPE,
  };
}
