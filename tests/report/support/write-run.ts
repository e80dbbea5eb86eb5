// Writes a run folder exactly as `nixotel run` does: run.json, and spans.jsonl through the runner's
// own serializer (the SDK's JsonTraceSerializer), so the report reads what real runs contain.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { toOtlpJsonLines } from "../../../src/export/otlp-lines.js";
import { toReadableSpans } from "../../../src/export/readable.js";
import type { RunRecord } from "../../../src/runs/record.js";
import type { SpanData } from "../../../src/spans/model.js";

export interface FixtureRun {
  record: RunRecord;
  spans: SpanData[];
}

const RUN_RESOURCE = {
  "service.name": "nixos-integration-tests",
  "host.name": "ci-runner-1",
  "vcs.ref.head.revision": "9f1c2e7d4b5a6c3e8f0a1b2c3d4e5f6a7b8c9d0e",
};

export const runJsonText = (run: FixtureRun) => `${JSON.stringify(run.record, null, 2)}\n`;
export const spansJsonlText = (run: FixtureRun) => toOtlpJsonLines(toReadableSpans(run.spans, RUN_RESOURCE));

export async function writeRun(dir: string, run: FixtureRun): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, "run.json"), runJsonText(run));
  await writeFile(join(dir, "spans.jsonl"), spansJsonlText(run));
  return dir;
}
