// Follows the activity stream and keeps one record per derivation build (Build activities, type 105).
import { nowNs, type Clock } from "../clock.js";
import { isDriverFailure } from "../ingest/driver-log.js";
import { ActivityType, ResultType, drvPathsIn, stripAnsi, type NixEvent } from "./activity.js";
import { builderFailedIn } from "./failure-message.js";
import { RecencyList, mostRecent } from "./recency.js";

export interface LogLine {
  /** Unix time in nanoseconds when the line arrived. */
  timeNs: bigint;
  text: string;
}

export interface BuildActivity {
  drvPath: string;
  /** The remote builder's URI; "" when built locally. */
  machine: string;
  startNs: bigint;
  endNs?: bigint;
  phases: { name: string; timeNs: bigint }[];
  lines: LogLine[];
  /** Set when the failed counter rises as it ends, or from nix's messages (`builder for '…' failed …`). */
  failed: boolean;
  /** The progress counters said it ended (else nix stopped before it did, or it never ran to the end). */
  completed?: boolean;
  /** nix was stopped (signal, --timeout) before this build ended: neither passed nor failed. */
  interrupted?: boolean;
}

export interface BuildListener {
  started?: (build: BuildActivity) => void;
  finished?: (build: BuildActivity) => void;
  line?: (build: BuildActivity, line: LogLine) => void;
  /** The build entered a phase (its name is the last of `build.phases`). */
  phase?: (build: BuildActivity) => void;
  /** nix said this build's own builder failed (src/nix/failure-message.ts), before it was being stopped. */
  builderFailed?: (build: BuildActivity) => void;
  /** nix is being stopped (a signal, --timeout): what ends from now on was cut short. */
  stopping?: () => void;
}

/** Every listener hears every event, in the order given. */
export const allListeners = (...listeners: BuildListener[]): BuildListener => ({
  started: (b) => listeners.forEach((l) => l.started?.(b)),
  finished: (b) => listeners.forEach((l) => l.finished?.(b)),
  line: (b, line) => listeners.forEach((l) => l.line?.(b, line)),
  phase: (b) => listeners.forEach((l) => l.phase?.(b)),
  builderFailed: (b) => listeners.forEach((l) => l.builderFailed?.(b)),
  stopping: () => listeners.forEach((l) => l.stopping?.()),
});

/** A cheap first look: only such lines can be the driver's verdict on a failed test (driver-log.ts). */
const mayBeVerdict = (text: string) => text.includes("!!!") || text.includes("failed with error");

// Nix 2.8 stops a top-level build's activity only when the whole `nix build` ends, so a build's
// real end is taken from the Builds (104) activity's Progress counters [done, expected, running,
// failed]: when done+failed grows, that many running builds just ended, and when failed grows, they
// failed (with --keep-going, 2.8 prints "builder for … failed" only when everything is over). When
// several run at once, the one heard from last ended (nix reads a builder's last lines, then its EOF);
// when two end together, the store settles which failed (src/pipeline/settle.ts).
// Every event costs O(1) (a progress event O(builds it ends)): Nix 2.8 keeps every build open to the
// end, so nothing here walks all open builds.
export class BuildTracker {
  readonly builds: BuildActivity[] = [];
  /** nix's own error messages (ANSI stripped), e.g. evaluation or builder failures. */
  readonly errors: string[] = [];
  private readonly byId = new Map<number, BuildActivity>();
  /** Every build of a derivation (a failure message names the drv), and the one still open. */
  private readonly byDrv = new Map<string, BuildActivity[]>();
  private readonly openByDrv = new Map<string, BuildActivity>();
  private stopRequested = false;
  private readonly finishedCount = new Map<number, { done: number; failed: number }>();
  /** Builds not yet ended, by when they were last heard from: those whose log holds the test driver's
   * verdict on a failed test (marked as the line arrives), and the others. */
  private readonly saidItFailed = new RecencyList<BuildActivity>();
  private readonly quiet = new RecencyList<BuildActivity>();

  constructor(
    private readonly listener: BuildListener = {},
    private readonly clock: Clock = nowNs,
  ) {}

  handle(event: NixEvent): void {
    const time = this.clock();
    switch (event.action) {
      case "start": {
        if (event.type === ActivityType.Builds) this.finishedCount.set(event.id, { done: 0, failed: 0 });
        if (event.type !== ActivityType.Build) return;
        // A remote build is two activities: the build hook's ("building '…' on 'MACHINE'") and, nested,
        // the remote's own (machine "", carrying the log lines and phases). They are one build.
        const drvPath = String(event.fields[0] ?? "");
        const outer = this.openByDrv.get(drvPath);
        if (outer) {
          this.byId.set(event.id, outer);
          return;
        }
        const build: BuildActivity = {
          drvPath,
          machine: String(event.fields[1] ?? ""),
          startNs: time,
          phases: [],
          lines: [],
          failed: false,
        };
        this.byId.set(event.id, build);
        this.builds.push(build);
        this.byDrv.set(drvPath, [...(this.byDrv.get(drvPath) ?? []), build]);
        this.openByDrv.set(drvPath, build);
        this.quiet.touch(build);
        this.listener.started?.(build);
        return;
      }
      case "stop": {
        const build = this.byId.get(event.id);
        this.byId.delete(event.id);
        if (build && build.endNs === undefined) this.finish(build, time);
        return;
      }
      case "result": {
        if (event.type === ResultType.Progress && this.finishedCount.has(event.id)) return this.progress(event.id, event.fields, time);
        const build = this.byId.get(event.id);
        if (!build) return;
        if (event.type === ResultType.BuildLogLine || event.type === ResultType.PostBuildLogLine) {
          const line = { timeNs: time, text: stripAnsi(String(event.fields[0] ?? "")) };
          build.lines.push(line);
          if (build.endNs === undefined) this.heard(build, mayBeVerdict(line.text) && isDriverFailure(line.text));
          this.listener.line?.(build, line);
        } else if (event.type === ResultType.SetPhase) {
          build.phases.push({ name: String(event.fields[0] ?? ""), timeNs: time });
          this.listener.phase?.(build);
        }
        return;
      }
      case "msg": {
        const text = stripAnsi(event.msg);
        if (event.level > 1) return; // only errors (0) and warnings (1) matter here
        this.errors.push(text);
        if (this.stopRequested) return; // nix's verdicts on the builds it killed
        if (!/failed/.test(text)) return;
        for (const drvPath of drvPathsIn(text)) for (const build of this.byDrv.get(drvPath) ?? []) build.failed = true;
        const builderFailed = builderFailedIn(text);
        const last = builderFailed === undefined ? undefined : this.byDrv.get(builderFailed)?.at(-1);
        if (last) this.listener.builderFailed?.(last);
        return;
      }
      case "plain":
        if (event.text.trim()) this.errors.push(stripAnsi(event.text));
        return;
    }
  }

  /** Ends builds nix never stopped (nix was killed): they end now. */
  closeOpen(): void {
    const time = this.clock();
    for (const build of this.byId.values()) if (build.endNs === undefined) this.finish(build, time);
    this.byId.clear();
  }

  /** nix is being stopped: builds it ends or fails from now on were cut short by the stop. */
  stopping(): void {
    if (!this.stopRequested) this.listener.stopping?.();
    this.stopRequested = true;
  }

  /** nix was stopped (signal, --timeout): builds it had not finished were cut short, not passed. */
  stopped(): void {
    for (const build of this.builds) if (!build.completed && !build.failed) build.interrupted = true;
  }

  private progress(id: number, fields: unknown[], time: bigint): void {
    const [done = 0, , , failed = 0] = fields.map(Number);
    const before = this.finishedCount.get(id) ?? { done: 0, failed: 0 };
    this.finishedCount.set(id, { done, failed });
    const failedNow = Math.max(0, failed - before.failed);
    const ended = Math.max(0, done - before.done) + failedNow;
    if (ended <= 0 || this.stopRequested) return;
    // nix reads a builder's EOF and another's fresh line in one pass: a test that printed its failure
    // ended failing before one that merely spoke last.
    const failing = mostRecent([this.saidItFailed, this.quiet], failedNow);
    const succeeding = mostRecent([this.quiet, this.saidItFailed], ended - failing.length, new Set(failing));
    for (const build of failing) build.failed = true;
    for (const build of [...failing, ...succeeding]) {
      build.completed = true;
      this.finish(build, time);
    }
  }

  /** A running build printed a line (one with the driver's verdict of a failed test, or not). */
  private heard(build: BuildActivity, saysItFailed: boolean): void {
    if (saysItFailed || this.saidItFailed.has(build)) {
      this.quiet.remove(build);
      this.saidItFailed.touch(build);
    } else this.quiet.touch(build);
  }

  private finish(build: BuildActivity, time: bigint): void {
    build.endNs = time;
    this.quiet.remove(build);
    this.saidItFailed.remove(build);
    if (this.openByDrv.get(build.drvPath) === build) this.openByDrv.delete(build.drvPath);
    this.listener.finished?.(build);
  }
}
