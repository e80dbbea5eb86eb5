// Span throughput of the exporter: N synthetic spans through the same code `nixotel run` uses,
// to the run folder (OTLP JSON lines) and to a local OTLP/HTTP receiver (protobuf and json).
import { createServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportSpans, writeSpans } from "../dist/export/export-run.js";
import { runPaths } from "../dist/runs/files.js";
import { syntheticSpans } from "./synthetic-spans.mjs";

const COUNT = Number(process.env.SPANS ?? 20000);
const spans = syntheticSpans(COUNT);

const server = createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/v1/traces`;
const dir = await mkdtemp(join(tmpdir(), "nixotel-bench-"));
const context = { cwd: dir, env: {}, stdout: () => {}, stderr: () => {}, interactive: false, signal: new AbortController().signal };

async function measure(label, settings, n) {
  const t = process.hrtime.bigint();
  const paths = runPaths(dir, `r${n}`);
  const readable = await writeSpans(spans, { "service.name": "bench" }, paths);
  const out = await exportSpans(readable, settings, paths, context);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  console.log(
    `${label}: ${COUNT} spans in ${s.toFixed(2)}s = ${Math.round(COUNT / s)} spans/s${out.spooled ? ` (spooled ${out.spooled})` : ""}`,
  );
}
const otlp = (protocol) => ({ kind: "otlp", url, protocol, headers: {}, timeoutMs: 10000, compression: "none" });
await measure("file only (spans.jsonl)", { kind: "none" }, 1);
await measure("file + OTLP http/protobuf", otlp("http/protobuf"), 2);
await measure("file + OTLP http/json", otlp("http/json"), 3);
server.close();
await rm(dir, { recursive: true, force: true });
