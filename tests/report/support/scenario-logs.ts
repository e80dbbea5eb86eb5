// A run with logs: the mixed run's spans, and for each of its checks a log printed the way the NixOS
// driver prints one (each subtest opened and closed, lines between), made into records by nixotel's own
// builder (src/logs/records.ts) and written by its own writer; one check prints `floodLines` lines more.
import { join } from "node:path";
import { appendLogChunks, logChunks } from "../../../src/logs/log-chunk.js";
import { DEFAULT_LOG_LIMITS, type LogRecordData } from "../../../src/logs/model.js";
import { checkLogRecords } from "../../../src/logs/records.js";
import { subtrees } from "../../../src/logs/run-logs.js";
import type { SpanData } from "../../../src/spans/model.js";
import { subtestOf } from "../../../src/spans/subtest.js";
import { ATTR } from "../../../src/spans/vocabulary.js";
import { mixedRun } from "./scenario-mixed.js";
import { writeRun, type FixtureRun } from "./write-run.js";

export const HOSTILE_LINE = `web: <img src=x onerror="window.__pwnedByLog=1"> & </script>`;

/** The lines a check printed: per subtest (in start order) an opening line, two lines, a closing line. */
function linesOf(check: SpanData, spans: readonly SpanData[], floodLines: number) {
  const lines: { timeNs: bigint; text: string }[] = [{ timeNs: check.startNs, text: "start all VMs" }];
  const subtests = spans.filter((s) => subtestOf(s) !== undefined).sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
  const ends: SpanData[] = [];
  const closeUntil = (timeNs: bigint) => {
    while (ends.length && ends.at(-1)!.endNs <= timeNs) {
      const done = ends.pop()!;
      lines.push({ timeNs: done.endNs, text: `(finished: subtest: ${subtestOf(done)}, in 1.00 seconds)` });
    }
  };
  for (const subtest of subtests) {
    closeUntil(subtest.startNs);
    const name = subtestOf(subtest)!;
    lines.push({ timeNs: subtest.startNs, text: `subtest: ${name}` });
    lines.push({ timeNs: subtest.startNs + 1n, text: `web: must succeed: check ${name}` });
    lines.push({ timeNs: subtest.startNs + 2n, text: HOSTILE_LINE });
    ends.push(subtest);
  }
  for (let i = 0; i < floodLines; i++) lines.push({ timeNs: lines.at(-1)!.timeNs, text: `web # flood line ${i}` });
  closeUntil(check.endNs + 1n);
  return lines;
}

export function logsRun(floodLines: number): FixtureRun & { logs: LogRecordData[] } {
  const run = mixedRun();
  const subtreeOf = subtrees(run.spans);
  // The mixed run's spans carry no role (runs written before roles were are read by their attributes).
  const checks = run.spans.filter((s) => s.attributes[ATTR.taskType] === "test" && s.attributes[ATTR.nixAttr] !== undefined);
  const logs = checks.flatMap((check, i) => {
    const spans = subtreeOf(check);
    const lines = linesOf(check, spans, i === 0 ? floodLines : 0);
    return checkLogRecords({ checkName: String(check.attributes[ATTR.taskName]), check, spans, lines, limits: DEFAULT_LOG_LIMITS });
  });
  return { ...run, logs };
}

export async function writeLogsRun(dir: string, run: FixtureRun & { logs: LogRecordData[] }): Promise<void> {
  await writeRun(dir, run);
  await appendLogChunks(join(dir, "logs.jsonl"), logChunks(run.logs, { "service.name": "nixos-integration-tests" }));
}
