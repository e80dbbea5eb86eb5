// Log record throughput: N lines of one check through the same code `nixotel run` uses — each line's own
// part encoded (what `run` does while nix builds), the records placed on the check's span tree (when the
// check settles), composed as OTLP JSON lines and written to logs.jsonl, composed as protobuf, and sent
// to a local OTLP/HTTP receiver through the SDK's transport (protobuf and json), each stage timed alone:
// writing and sending made bytes (last, both at once) is the floor no encoder can go below. Run: node bench/log-throughput.mjs (after
// `npm run build`); LINES=… sets N.
import { createServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SpanKind } from "@opentelemetry/api";
import { LOG_SIGNAL } from "../dist/export/export-logs.js";
import { sendChunks } from "../dist/export/send.js";
import { encodedLinesOf } from "../dist/logs/encoded-lines.js";
import { appendLogChunks, placedChunks } from "../dist/logs/log-chunk.js";
import { DEFAULT_LOG_LIMITS } from "../dist/logs/model.js";
import { placeCheckLog } from "../dist/logs/records.js";

const COUNT = Number(process.env.LINES ?? 100000);
const S = 1_000_000_000n;
const span = (id, parent, name, start, end, attributes = {}) => ({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: id.toString(16).padStart(16, "0"),
  ...(parent ? { parentSpanId: parent.spanId } : {}),
  name,
  kind: SpanKind.INTERNAL,
  startNs: start * S,
  endNs: end * S,
  attributes,
  events: [],
  links: [],
  status: { code: 0 },
});
const check = span(1, undefined, "test.bench.flood", 0n, 1000n);
const spans = [check, span(2, check, "build", 0n, 1000n)];
for (let i = 0; i < 10; i++)
  spans.push(span(10 + i, check, `subtest: part ${i}`, BigInt(i * 100), BigInt(i * 100 + 99), { "nixos.test.subtest": `part ${i}` }));
const lines = [];
for (let i = 0; i < COUNT; i++) {
  const part = Math.floor((i * 10) / COUNT);
  const timeNs = BigInt(part * 100) * S + BigInt(i);
  if (i % (COUNT / 10) === 0) lines.push({ timeNs, text: `subtest: part ${part}` });
  lines.push({ timeNs, text: i % 3 ? `web # [ ${i}.000000] systemd[1]: line ${i}` : `web: must succeed: echo ${i}` });
}

const server = createServer((req, res) => {
  req.on("data", () => {});
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${server.address().port}/v1/logs`;
const dir = await mkdtemp(join(tmpdir(), "nixotel-bench-"));
const context = { cwd: dir, env: {}, stdout: () => {}, stderr: () => {}, interactive: false, signal: new AbortController().signal };
const seconds = (t) => Number(process.hrtime.bigint() - t) / 1e9;

const rate = (count, s) => `${count} in ${s.toFixed(2)}s = ${Math.round(count / s)} records/s`;
let t = process.hrtime.bigint();
encodedLinesOf(lines);
console.log(`encode the lines (while nix builds): ${rate(lines.length, seconds(t))}`);
t = process.hrtime.bigint();
const placed = placeCheckLog({ checkName: "flood", lines, check, spans, limits: DEFAULT_LOG_LIMITS });
const records = { length: placed.index.length };
console.log(`place on the span tree (as the check settles): ${rate(records.length, seconds(t))}`);
t = process.hrtime.bigint();
const chunks = placedChunks(placed, { "service.name": "bench" });
const jsonBytes = chunks.reduce((sum, chunk) => sum + chunk.json().length, 0);
console.log(`compose the OTLP/JSON lines (${(jsonBytes / 2 ** 20).toFixed(0)} MiB): ${rate(records.length, seconds(t))}`);
t = process.hrtime.bigint();
await appendLogChunks(join(dir, "logs.jsonl"), chunks);
console.log(`write them to logs.jsonl: ${rate(records.length, seconds(t))}`);
t = process.hrtime.bigint();
const protobufBytes = chunks.reduce((sum, chunk) => sum + chunk.protobuf().length, 0);
console.log(`compose the protobuf bodies (${(protobufBytes / 2 ** 20).toFixed(0)} MiB): ${rate(records.length, seconds(t))}`);
// Both encodings are made by now: what follows is the transport alone.
const otlp = (protocol) => ({ kind: "otlp", url, protocol, headers: {}, timeoutMs: 10000, compression: "none" });
for (const protocol of ["http/protobuf", "http/json"]) {
  t = process.hrtime.bigint();
  const out = await sendChunks(chunks, otlp(protocol), context.signal, LOG_SIGNAL.kind);
  const s = seconds(t);
  console.log(`send them OTLP ${protocol}: ${rate(records.length, s)}${out.unsent.length ? ` (unsent: ${out.error})` : ""}`);
}
// The floor: writing the JSON lines and sending the protobuf bodies at once, as `run` overlaps them.
t = process.hrtime.bigint();
await Promise.all([
  appendLogChunks(join(dir, "floor.jsonl"), chunks),
  sendChunks(chunks, otlp("http/protobuf"), context.signal, LOG_SIGNAL.kind),
]);
console.log(`write and send at once, both made already (the floor): ${rate(records.length, seconds(t))}`);
server.close();
await rm(dir, { recursive: true, force: true });
