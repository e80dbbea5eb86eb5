// What a person sees: a live progress line on a terminal, plain lines in CI logs, then a summary.
import type { Context } from "../context.js";
import type { BuildActivity, BuildListener } from "../nix/builds.js";
import type { RunRecord } from "../runs/record.js";

const drvName = (drvPath: string) => drvPath.replace(/^.*\/[0-9a-z]{32}-/, "").replace(/\.drv$/, "");
const secs = (ns: bigint) => `${(Number(ns / 1_000_000n) / 1000).toFixed(1)}s`;

/** Follows builds: `checkOf(drvPath)` names the check a derivation is, undefined for dependencies. */
export function progressListener(context: Context, checkOf: (drvPath: string) => string | undefined): BuildListener & { done: () => void } {
  const running = new Map<BuildActivity, string>();
  let finished = 0;
  const label = (build: BuildActivity) => checkOf(build.drvPath) ?? `${drvName(build.drvPath)} (dependency)`;
  const where = (build: BuildActivity) => (build.machine ? ` on ${build.machine}` : "");
  const redraw = () => {
    const names = [...running.values()].join(", ");
    context.stderr(`\r\x1b[K${names ? `building ${names}` : "waiting for nix"} · ${finished} built`);
  };
  return {
    started(build) {
      running.set(build, label(build));
      if (context.interactive) redraw();
      else context.stderr(`building ${label(build)}${where(build)}\n`);
    },
    finished(build) {
      running.delete(build);
      finished += 1;
      if (context.interactive) redraw();
      else context.stderr(`finished ${label(build)} in ${secs((build.endNs ?? build.startNs) - build.startNs)}\n`);
    },
    done() {
      if (context.interactive) context.stderr("\r\x1b[K");
    },
  };
}

export interface Destinations {
  spansFile: string;
  junitFile?: string;
  endpoint: string | null;
  delivered: boolean;
  spooled: number;
  error?: string;
}

export function summary(record: RunRecord, where: Destinations): string {
  const count = (status: string) => record.checks.filter((c) => c.status === status).length;
  const cached = record.checks.filter((c) => c.cached).length;
  const lines = record.checks.flatMap((c) => {
    const mark = c.status === "pass" ? "PASS" : c.status === "fail" ? "FAIL" : "STOP";
    const detail = c.cached ? "cached" : `${(c.durationMs / 1000).toFixed(1)}s`;
    return [
      `${mark} ${c.suite}.${c.name} (${detail})${c.errorType ? ` ${c.errorType}` : ""}`,
      ...(c.problems ?? []).map((problem) => `     unreadable telemetry: ${problem}`),
    ];
  });
  const elapsed = (Date.parse(record.endedAt) - Date.parse(record.startedAt)) / 1000;
  lines.push(
    `${count("pass")} passed, ${count("fail")} failed${count("cancelled") ? `, ${count("cancelled")} cancelled` : ""}, ${cached} cached in ${elapsed.toFixed(1)}s (${record.result})`,
  );
  lines.push(`trace ${record.traceId}: ${where.spansFile}`);
  if (where.endpoint) {
    lines.push(
      where.delivered
        ? `sent ${record.export.spans} spans to ${where.endpoint}`
        : `collector ${where.endpoint} did not accept ${where.spooled} spans (${where.error ?? "unknown error"}); they are spooled: run \`nixotel flush\` later`,
    );
  }
  if (where.junitFile) lines.push(`junit: ${where.junitFile}`);
  return `${lines.join("\n")}\n`;
}
