// Checks judged while nix still builds, so each is recorded as soon as it can be (a nixotel killed
// later keeps it). The store has the last word, as at the end (src/pipeline/settle.ts): an output
// that is valid passed. One that is not failed only once every build that ran beside it when it
// ended has ended too (nix's counters cannot tell which of several builds ending together failed);
// with --retries a failure waits for the end (its retries belong to its record), and so does every
// check once nix is being stopped (a build cut short is judged with the run's stop).
import { NixotelError } from "../errors.js";
import { storedBuildLog } from "../nix/build-log.js";
import { storeArgs } from "../nix/build.js";
import type { BuildActivity, BuildListener } from "../nix/builds.js";
import type { CheckInfo } from "../nix/checks.js";
import { validPaths } from "../nix/store.js";
import { markQuarantined } from "./flaky-policy.js";
import { checkOutcome, type CheckOutcome } from "./outcomes.js";
import type { RunDependencies, RunRequest, RunStream } from "./request.js";
import { settleBuilds } from "./settle.js";

interface Ended {
  check: CheckInfo;
  build: BuildActivity;
  /** Builds running when it ended that have not ended since. */
  peers: Set<BuildActivity>;
}

export interface EarlySettler {
  listener: BuildListener;
  /** Waits for the judging under way; the checks judged early, by derivation. */
  drained(): Promise<ReadonlyMap<string, CheckOutcome>>;
}

/** Both listeners hear every event, `first` first. */
export const bothListeners = (first: BuildListener, second: BuildListener): BuildListener => ({
  started: (b) => (first.started?.(b), second.started?.(b)),
  finished: (b) => (first.finished?.(b), second.finished?.(b)),
  line: (b, l) => (first.line?.(b, l), second.line?.(b, l)),
  phase: (b) => (first.phase?.(b), second.phase?.(b)),
});

export function earlySettler(
  request: RunRequest,
  { context, clock }: RunDependencies,
  stream: RunStream,
  checks: readonly CheckInfo[],
  cachedBefore: ReadonlySet<string>,
): EarlySettler {
  const where = { cwd: context.cwd, env: context.env };
  const checkOf = new Map(checks.map((c) => [c.drvPath, c]));
  const running = new Set<BuildActivity>();
  /** Check builds that ended and are not judged yet (their peers are updated while they wait). */
  let pending: Ended[] = [];
  const settled = new Map<string, CheckOutcome>();
  let queue: Promise<void> = Promise.resolve();
  const startNs = clock();
  const sources = {
    outputsReadable: request.store === undefined,
    readStoredLog: (drvPath: string) => storedBuildLog(drvPath, storeArgs(request), where),
  };

  const judge = async (check: CheckInfo, builds: BuildActivity[], valid: ReadonlySet<string>) => {
    const facts = { builds: settleBuilds(builds, [check], valid, false), nixErrors: [], cachedBefore, validAfter: valid };
    const outcome = await checkOutcome(check, { ...facts, startNs, endNs: clock(), timedOut: false, cancelled: false }, sources);
    const marked = markQuarantined(outcome, request);
    settled.set(check.drvPath, marked);
    await stream.settled(marked);
  };

  // One judging at a time, each taking every build that ended meanwhile (one store query for them all).
  const judgeEnded = async () => {
    if (context.signal.aborted) return void (pending = []);
    const batch = [...pending];
    if (!batch.length) return;
    const valid = await validPaths(
      batch.map((e) => e.check.outPath),
      storeArgs(request),
      where,
    );
    // Not valid while builds beside it still run: it stays, judged once they have ended.
    const ready = batch.filter((e) => valid.has(e.check.outPath) || e.peers.size === 0);
    pending = pending.filter((e) => !ready.includes(e));
    for (const e of ready) if (valid.has(e.check.outPath) || !request.retries) await judge(e.check, [e.build], valid);
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
      running.add(build);
      const check = checkOf.get(build.drvPath);
      if (check) stream.building(check);
    },
    finished(build) {
      running.delete(build);
      // A peer cut short (nix stopping) leaves the failures beside it to the end.
      for (const e of pending) if (e.peers.delete(build) && !build.completed) e.peers.add(build);
      const check = checkOf.get(build.drvPath);
      if (check && build.completed) pending.push({ check, build, peers: new Set(running) });
      if (pending.length) enqueue(judgeEnded);
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
