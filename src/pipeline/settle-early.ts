// Checks judged while nix still builds, so each is recorded as soon as it can be (a nixotel killed
// later keeps it). The store has the last word, as at the end (src/pipeline/settle.ts): a check
// build whose output is valid passed, whichever build nix's counters said had ended (they only count;
// with several builds running, which one ended is a guess). One whose output is not valid failed only
// when that is proven (src/pipeline/failure-proof.ts: nix said its builder failed, or nix let go of its
// output's lock); else it waits for the end (the store may not have registered an output yet when
// asked), and so does every check once nix is being stopped (a build cut short is judged with the stop).
// Under --retries a failure is not final (the check is built again after this build): failed checks
// are then judged at the end.
import { NixotelError } from "../errors.js";
import { storedLogReader } from "../nix/build-log.js";
import { storeArgs } from "../nix/build.js";
import type { BuildActivity, BuildListener } from "../nix/builds.js";
import type { CheckInfo } from "../nix/checks.js";
import { validPaths } from "../nix/store.js";
import { FailureProof } from "./failure-proof.js";
import { markQuarantined } from "./flaky-policy.js";
import { checkOutcome, type CheckOutcome } from "./outcomes.js";
import { logsEnabled, type RunDependencies, type RunRequest, type RunStream } from "./request.js";
import { settleBuilds } from "./settle.js";

export interface EarlySettler {
  listener: BuildListener;
  /** Waits for the judging under way; the checks judged early, by derivation. */
  drained(): Promise<ReadonlyMap<string, CheckOutcome>>;
}

export function earlySettler(
  request: RunRequest,
  { context, clock }: RunDependencies,
  stream: RunStream,
  checks: readonly CheckInfo[],
  cachedBefore: ReadonlySet<string>,
): EarlySettler {
  const where = { cwd: context.cwd, env: context.env };
  const checkOf = new Map(checks.map((c) => [c.drvPath, c]));
  /** Check builds nix started that are not judged yet. */
  const unjudged = new Set<BuildActivity>();
  /** Check builds the counters ended while their output was missing: their real end came later. */
  const endedTooSoon = new Set<BuildActivity>();
  const settled = new Map<string, CheckOutcome>();
  let queue: Promise<void> = Promise.resolve();
  const startNs = clock();
  const sources = {
    outputsReadable: request.store === undefined,
    readStoredLog: storedLogReader(storeArgs(request), where),
    logRecords: logsEnabled(request),
  };

  const outPath = (b: BuildActivity) => checkOf.get(b.drvPath)!.outPath;
  const proof = new FailureProof(outPath, context, request.store === undefined, () => {
    if (unjudged.size) enqueue(judgeStarted);
  });
  /** A failure is final unless the check is built again (--retries). */
  const failuresFinal = !request.retries;

  const judge = async (check: CheckInfo, builds: BuildActivity[], valid: ReadonlySet<string>) => {
    const endNs = clock();
    // A valid output whose build nix's counters have not ended yet ended by now, not at its start.
    const ended = builds.map((b) => (b.endNs === undefined && valid.has(check.outPath) ? { ...b, endNs } : b));
    const facts = { builds: settleBuilds(ended, [check], valid, false), nixErrors: [], cachedBefore, validAfter: valid };
    const outcome = await checkOutcome(check, { ...facts, startNs, endNs, timedOut: false, cancelled: false }, sources);
    const marked = markQuarantined(outcome, request);
    settled.set(check.drvPath, marked);
    await stream.settled(marked);
  };

  // One judging at a time, each asking the store about every check build not judged yet at once.
  const judgeStarted = async () => {
    if (context.signal.aborted) return unjudged.clear();
    const batch = [...unjudged];
    if (!batch.length) return;
    // The locks first: a build that passed registered its output before letting go of its lock.
    const unlocked = failuresFinal ? await proof.unlocked(batch) : new Set<BuildActivity>();
    const valid = await validPaths(batch.map(outPath), storeArgs(request), where);
    for (const build of batch) {
      const passed = valid.has(outPath(build));
      if (!passed && failuresFinal && proof.failed(build, unlocked)) {
        unjudged.delete(build);
        // The counters' end is this build's only when they did not end it before its output could be asked about.
        const endNs = build.endNs !== undefined && !endedTooSoon.has(build) ? build.endNs : clock();
        await judge(checkOf.get(build.drvPath)!, [{ ...build, endNs, completed: true, failed: true }], valid);
        continue;
      }
      // Without its output (and no proof of failure) it is judged at the end: the counters may have named
      // another build, and even a build that ended alone can be asked about before nix registered its output.
      if (!passed) {
        if (build.endNs !== undefined) endedTooSoon.add(build);
        continue;
      }
      unjudged.delete(build);
      // Its output is there, so it ended now, whatever the counters said.
      const guessed = build.endNs === undefined || endedTooSoon.has(build);
      const ended = guessed ? { ...build, endNs: clock(), completed: true, failed: false } : build;
      await judge(checkOf.get(build.drvPath)!, [ended], valid);
    }
  };
  const enqueue = (step: () => Promise<void>) => {
    queue = queue.then(step).catch((error: unknown) => {
      // The store could not be asked: these checks are judged at the end, like every check before.
      if (!(error instanceof NixotelError)) throw error;
      context.stderr(`nixotel: judging a check while nix builds failed; it is judged at the end: ${error.message}\n`);
    });
  };

  // Cached checks need no build: judged (from their stored logs) while nix starts on the rest.
  const cached = checks.filter((c) => cachedBefore.has(c.outPath));
  if (cached.length) enqueue(async () => void (await Promise.all(cached.map((c) => judge(c, [], cachedBefore)))));

  const listener: BuildListener = {
    started(build) {
      const check = checkOf.get(build.drvPath);
      if (!check) return;
      unjudged.add(build);
      proof.started(build);
      stream.building(check);
    },
    builderFailed(build) {
      proof.builderFailed(build);
      if (unjudged.has(build)) enqueue(judgeStarted);
    },
    stopping: () => proof.stopping(),
    finished(build) {
      // Ended without the counters (nix stopping, or stopped): judged with the run's end.
      if (!build.completed) unjudged.delete(build);
      if (unjudged.size) enqueue(judgeStarted);
    },
  };
  return {
    listener,
    async drained() {
      await queue;
      return settled;
    },
  };
}
