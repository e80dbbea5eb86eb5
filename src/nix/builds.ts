// Follows the activity stream and keeps one record per derivation build (Build activities, type 105).
import { ActivityType, ResultType, drvPathsIn, stripAnsi, type NixEvent } from "./activity.js";

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
  /** Set from nix's error messages (`builder for '…' failed with exit code 1`). */
  failed: boolean;
}

export interface BuildListener {
  started?: (build: BuildActivity) => void;
  finished?: (build: BuildActivity) => void;
  line?: (build: BuildActivity, line: LogLine) => void;
}

/** Wall-clock time in unix nanoseconds, to the microsecond. */
export const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;

export class BuildTracker {
  readonly builds: BuildActivity[] = [];
  /** nix's own error messages (ANSI stripped), e.g. evaluation or builder failures. */
  readonly errors: string[] = [];
  private readonly byId = new Map<number, BuildActivity>();

  constructor(private readonly listener: BuildListener = {}, private readonly clock: () => bigint = nowNs) {}

  handle(event: NixEvent): void {
    const time = this.clock();
    switch (event.action) {
      case "start": {
        if (event.type !== ActivityType.Build) return;
        const build: BuildActivity = {
          drvPath: String(event.fields[0] ?? ""),
          machine: String(event.fields[1] ?? ""),
          startNs: time,
          phases: [],
          lines: [],
          failed: false,
        };
        this.byId.set(event.id, build);
        this.builds.push(build);
        this.listener.started?.(build);
        return;
      }
      case "stop": {
        const build = this.byId.get(event.id);
        if (!build) return;
        build.endNs = time;
        this.byId.delete(event.id);
        this.listener.finished?.(build);
        return;
      }
      case "result": {
        const build = this.byId.get(event.id);
        if (!build) return;
        if (event.type === ResultType.BuildLogLine || event.type === ResultType.PostBuildLogLine) {
          const line = { timeNs: time, text: stripAnsi(String(event.fields[0] ?? "")) };
          build.lines.push(line);
          this.listener.line?.(build, line);
        } else if (event.type === ResultType.SetPhase) {
          build.phases.push({ name: String(event.fields[0] ?? ""), timeNs: time });
        }
        return;
      }
      case "msg": {
        const text = stripAnsi(event.msg);
        if (event.level > 1) return; // only errors (0) and warnings (1) matter here
        this.errors.push(text);
        for (const drvPath of drvPathsIn(text)) for (const build of this.builds) if (build.drvPath === drvPath && /failed/.test(text)) build.failed = true;
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
    for (const build of this.byId.values()) build.endNs = time;
    this.byId.clear();
  }
}
