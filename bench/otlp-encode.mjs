// Encoding cost of nixotel's own OTLP request encoding (exact int64s, NaN kept) against the SDK's
// serializers it replaced, on the same spans: ratios in one process, so the machine's load cancels out.
//   npm run build && node bench/otlp-encode.mjs [SPANS]
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { chunk } from "../dist/export/otlp-lines.js";
import { toReadableSpans } from "../dist/export/readable.js";
import { jsonSerializer, protobufSerializer } from "../dist/export/trace-exporter.js";
import { syntheticSpans } from "./synthetic-spans.mjs";

const COUNT = Number(process.argv[2] ?? 20000);
const spans = syntheticSpans(COUNT, (i, start) => ({
  attributes: { rows: i, ratio: i / 7 },
  events: [{ name: "log.tail", timeNs: start, attributes: { "log.tail": "a line of output" } }],
}));
const chunks = chunk(toReadableSpans(spans, { "service.name": "bench" }));

function time(serializer) {
  let best = Infinity;
  let bytes = 0;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    bytes = chunks.reduce((sum, c) => sum + serializer.serializeRequest(c).length, 0);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { ms: best, bytes };
}

for (const [name, ours, sdk] of [
  ["protobuf", protobufSerializer, ProtobufTraceSerializer],
  ["json", jsonSerializer, JsonTraceSerializer],
]) {
  const a = time(ours);
  const b = time(sdk);
  console.log(
    `${name}: ${COUNT} spans, nixotel ${a.ms.toFixed(1)} ms (${a.bytes} B), SDK ${b.ms.toFixed(1)} ms (${b.bytes} B), ratio ${(a.ms / b.ms).toFixed(2)}`,
  );
}
