// $out/otel ingestion: whatever cannot be read becomes a problem naming the file (and line), never an exception.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { readOtelDir } from "./ingest.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

it("reports an unreadable file and a cut-off line as problems and keeps reading the rest", async () => {
  const out = await mkdtemp(join(tmpdir(), "nixotel-ingest-"));
  dirs.push(out);
  await mkdir(join(out, "otel", "a.jsonl"), { recursive: true }); // a folder: readFile fails
  const span = { traceId: "a".repeat(32), spanId: "b".repeat(16), name: "kept", startTimeUnixNano: "1" };
  await writeFile(join(out, "otel", "b.jsonl"), `${JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] })}\n{"resour\n`);
  const ingested = await readOtelDir(out);
  expect(ingested?.spans.map((s) => s.name)).toEqual(["kept"]);
  expect(ingested?.problems).toEqual([
    expect.stringMatching(new RegExp(`^${join(out, "otel", "a.jsonl")}: EISDIR`)),
    expect.stringMatching(new RegExp(`^${join(out, "otel", "b.jsonl")}:2: not JSON: `)),
  ]);
});
