import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { logChunks } from "../logs/log-chunk.js";
import { readRunLogs } from "./read-logs.js";

const dirs: string[] = [];
const decoder = new TextDecoder();
/** One logs.jsonl line holding one record, as nixotel writes it. */
const encodeLogLine = (body: string) =>
  decoder.decode(
    logChunks([{ timeNs: 1n, severity: "INFO", body, attributes: {}, traceId: "a".repeat(32), spanId: "b".repeat(16) }], {})[0]!.json(),
  );
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

async function logsFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-read-logs-"));
  dirs.push(dir);
  await writeFile(join(dir, "logs.jsonl"), text);
  return join(dir, "logs.jsonl");
}

it("a last line a killed run left torn counts as absent; a torn line before it is an error", async () => {
  const whole = encodeLogLine("first line");
  const torn = encodeLogLine("second line").slice(0, 40);
  expect((await readRunLogs(await logsFile(`${whole}\n${torn}`)))!.map((r) => r.body)).toEqual(["first line"]);
  await expect(readRunLogs(await logsFile(`${torn}\n${whole}\n`))).rejects.toThrow("to hold OTLP JSON lines");
});
