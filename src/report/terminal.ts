// What a person sees: a live progress line on a terminal, plain lines in CI logs, then a summary.
import type { Context } from "../context.js";
import { drvName } from "../nix/activity.js";
import { nowNs } from "../clock.js";
import { type BuildActivity, type BuildListener } from "../nix/builds.js";
import type { RunRecord } from "../runs/record.js";
import { subtestOpenedBy } from "../ingest/driver-log.js";
import { flakyNote, flakyTally } from "./flaky-note.js";
import { plain } from "./plain.js";
import { repeatLines } from "./repeat-text.js";
import { timingLines } from "./timing-text.js";
import { DEFAULT_WIDTH, finishedLine, liveLine, startedLine, subtestLine, type LiveBuild } from "./progress-format.js";
import { throttledRedraw, type RedrawOptions } from "./redraw.js";

export interface ProgressOptions extends RedrawOptions {
  /** The terminal's width in columns. */
  width?: () => number;
}

/** Follows builds: `checkOf(drvPath)` names the check a derivation is, undefined for dependencies.
 * On a terminal one line is redrawn on build, phase and log events (at most 20 times a second); in CI
 * each step is a line. */
export function progressListener(
  context: Context,
  checkOf: (drvPath: string) => string | undefined,
  options: ProgressOptions = {},
): BuildListener & { done: () => void } {
  const width = options.width ?? (() => process.stderr.columns || DEFAULT_WIDTH);
  const clock = options.clock ?? nowNs;
  const line = throttledRedraw(context.stderr, options);
  const running = new Map<BuildActivity, LiveBuild>();
  let current: BuildActivity | undefined; // the build heard from last
  let finished = 0;
  const label = (build: BuildActivity) => checkOf(build.drvPath) ?? `${drvName(build.drvPath)} (dependency)`;
  const render = () => {
    // The build heard from last; when it ended, the one started last (found here, ≤ 20 times a second).
    const shown = (current && running.get(current)) ?? [...running.values()].at(-1);
    return liveLine(shown, running.size - (shown ? 1 : 0), finished, clock(), width());
  };
  const redraw = () => line.show(render);
  return {
    started(build) {
      running.set(build, { label: label(build), startNs: build.startNs });
      current = build;
      if (context.interactive) redraw();
      else context.stderr(startedLine(label(build), build));
    },
    phase(build) {
      const live = running.get(build);
      if (!live || !context.interactive) return;
      live.phase = build.phases.at(-1)?.name;
      current = build;
      redraw();
    },
    line(build, logLine) {
      const live = running.get(build);
      if (!live) return;
      const subtest = subtestOpenedBy(logLine.text);
      if (subtest !== undefined) live.subtest = subtest;
      if (context.interactive) {
        current = build;
        redraw();
      } else if (subtest !== undefined) context.stderr(subtestLine(live.label, subtest));
    },
    finished(build) {
      running.delete(build);
      if (current === build) current = undefined;
      finished += 1;
      if (context.interactive) redraw();
      else context.stderr(finishedLine(label(build), build));
    },
    done() {
      if (context.interactive) line.clear();
    },
  };
}

export { stepProgress, type StepProgress } from "./step-progress.js";

export interface Destinations {
  /** Undefined when it could not be written. */
  spansFile: string | undefined;
  junitFile?: string | undefined;
  endpoint: string | null;
  delivered: boolean;
  spooled: number;
  error?: string;
  rejected?: number;
  rejection?: string;
  /** `path: why` for each file that could not be written (disk full, folder gone). */
  notWritten?: readonly string[];
  /** The run's log records: where they were written (undefined: not written) and what the collector did. */
  logs?: Omit<Destinations, "spansFile" | "junitFile" | "notWritten" | "logs"> & { file: string | undefined; records: number };
}

/** What the collector did with `total` items (spans, log records). */
function exportLines(where: Omit<Destinations, "spansFile">, total: number, noun: string): string[] {
  if (!where.endpoint) return [];
  const lines: string[] = [];
  const accepted = total - where.spooled - (where.rejected ?? 0);
  if (where.delivered) lines.push(`sent ${total} ${noun} to ${where.endpoint}`);
  else if (accepted > 0) lines.push(`sent ${accepted} of ${total} ${noun} to ${where.endpoint}`);
  if (where.spooled)
    lines.push(
      `collector ${where.endpoint} did not accept ${where.spooled} ${noun} (${plain(where.error ?? "unknown error")}); they are spooled: run \`nixotel flush\` later`,
    );
  if (where.rejected)
    lines.push(
      `collector ${where.endpoint} refused ${where.rejected} ${noun} for good (${plain(where.rejection ?? "refused")}); kept in rejected.jsonl (the requests that held them), not retried`,
    );
  return lines;
}

export function summary(record: RunRecord, where: Destinations): string {
  const count = (status: string) => record.checks.filter((c) => c.status === status).length;
  const cached = record.checks.filter((c) => c.cached).length;
  const lines = record.checks.flatMap((c) => {
    const mark = c.status === "pass" ? "PASS" : c.status === "fail" ? "FAIL" : "STOP";
    const detail = c.cached ? "cached" : `${(c.durationMs / 1000).toFixed(1)}s`;
    return [
      `${mark} ${plain(`${c.suite}.${c.name}`)} (${detail})${c.errorType ? ` ${plain(c.errorType)}` : ""}${flakyNote(c)}`,
      ...(c.problems ?? []).map((problem) => `     unreadable telemetry: ${plain(problem)}`),
    ];
  });
  const elapsed = (Date.parse(record.endedAt) - Date.parse(record.startedAt)) / 1000;
  lines.push(...repeatLines(record.checks));
  lines.push(
    `${count("pass")} passed, ${count("fail")} failed${count("cancelled") ? `, ${count("cancelled")} cancelled` : ""}${flakyTally(record)}, ${cached} cached in ${elapsed.toFixed(1)}s (${record.result})`,
  );
  lines.push(...timingLines(record.timing));
  lines.push(`trace ${record.traceId}: ${where.spansFile ?? "spans.jsonl not written"}`);
  lines.push(...exportLines(where, record.export.spans, "spans"));
  if (where.logs?.records) {
    lines.push(`logs: ${where.logs.records} records in ${where.logs.file ?? "logs.jsonl (not written)"}`);
    lines.push(...exportLines(where.logs, where.logs.records, "log records"));
  }
  if (where.junitFile) lines.push(`junit: ${where.junitFile}`);
  if (where.notWritten?.length) lines.push(`not written: ${where.notWritten.length} file(s), named on stderr`);
  return `${lines.join("\n")}\n`;
}
