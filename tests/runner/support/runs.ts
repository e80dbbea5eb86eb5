// Reading back the newest run a command wrote into a run folder (`.nixotel` or `--out DIR`).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { runRecord, type RunRecord } from "../../../src/runs/record.js";
import type { SpanData } from "../../../src/spans/model.js";
import { readSpansFile } from "./trace.js";

export interface WrittenRun {
  /** The run's own folder, `<outDir>/runs/<id>`. */
  dir: string;
  record: RunRecord;
  /** Its spans.jsonl, checked against the span tree's promises. */
  spans(): Promise<SpanData[]>;
}

/** The newest run under `outDir` (run ids sort by their start time). */
export async function newestRun(outDir: string): Promise<WrittenRun> {
  const runs = join(outDir, "runs");
  const id = (await readdir(runs)).sort().at(-1);
  if (id === undefined) throw new Error(`${runs} holds no run`);
  const dir = join(runs, id);
  const record = runRecord.parse(JSON.parse(await readFile(join(dir, "run.json"), "utf8")));
  return { dir, record, spans: () => readSpansFile(join(dir, "spans.jsonl")) };
}
