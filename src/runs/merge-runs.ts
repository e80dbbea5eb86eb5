// Several run folders read as one run: the shards of one CI pipeline (`--shard I/N`, each job's
// .nixotel/runs/<id>/ uploaded as an artifact). Their checks and spans side by side; the run spans of
// shards given one TRACEPARENT share a trace and a parent, so the report shows one trace.
import { usageError } from "../errors.js";
import type { SpanData } from "../spans/model.js";
import type { RunRecord } from "./record.js";

export interface ReadRun {
  record: RunRecord;
  spans: SpanData[] | undefined;
}

// The worst result names the whole: an error or a cancellation anywhere is not a plain failure.
const SEVERITY: readonly RunRecord["result"][] = ["success", "failure", "timeout", "cancellation", "error"];
const worst = (results: readonly RunRecord["result"][]) => results.reduce((a, b) => (SEVERITY.indexOf(b) > SEVERITY.indexOf(a) ? b : a));

const earliest = (times: readonly string[]) => times.reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
const latest = (times: readonly string[]) => times.reduce((a, b) => (Date.parse(b) > Date.parse(a) ? b : a));

/** One run of several: the first run's ids and flake, every check and build, the worst result. */
export function mergeRuns(runs: readonly ReadRun[]): ReadRun {
  const [first, ...rest] = runs;
  if (!first) throw usageError("Name at least one run to report.");
  if (rest.length === 0) return first;
  const records = runs.map((r) => r.record);
  const seen = new Map<string, string>();
  for (const record of records)
    for (const check of record.checks) {
      const earlier = seen.get(check.attr);
      if (earlier !== undefined)
        throw usageError(
          `${check.attr} is in two of the runs (${earlier} and ${record.runId}): shards of one pipeline build each check once. Pass runs of one pipeline.`,
        );
      seen.set(check.attr, record.runId);
    }
  const record: RunRecord = {
    ...first.record,
    runId: records.map((r) => r.runId).join("+"),
    startedAt: earliest(records.map((r) => r.startedAt)),
    endedAt: latest(records.map((r) => r.endedAt)),
    result: worst(records.map((r) => r.result)),
    checks: records.flatMap((r) => r.checks),
    builds: records.flatMap((r) => r.builds),
    export: {
      ...first.record.export,
      delivered: records.every((r) => r.export.delivered),
      spooled: records.reduce((sum, r) => sum + r.export.spooled, 0),
      spans: records.reduce((sum, r) => sum + r.export.spans, 0),
    },
  };
  const spans = runs.some((r) => r.spans) ? runs.flatMap((r) => r.spans ?? []) : undefined;
  return { record, spans };
}

/** The trace ids of the runs, one each: more than one when the shards were not given one TRACEPARENT. */
export const traceIdsOf = (runs: readonly ReadRun[]) => [...new Set(runs.map((r) => r.record.traceId))];
