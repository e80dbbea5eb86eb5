// N spans of one trace, as the benchmarks feed them to the exporter (built from dist/: `npm run build`).
// `extra(i)` adds attributes and events to span i (the encoding bench wants numbers and an event).
import { newSpanId, newTraceId } from "../dist/spans/model.js";
import { INTERNAL, statusOf } from "../dist/spans/vocabulary.js";

export function syntheticSpans(count, extra = () => ({})) {
  const traceId = newTraceId();
  const start = BigInt(Date.now()) * 1_000_000n;
  return Array.from({ length: count }, (_, i) => {
    const more = extra(i, start);
    return {
      traceId,
      spanId: newSpanId(),
      name: `span ${i}`,
      kind: INTERNAL,
      startNs: start + BigInt(i),
      endNs: start + BigInt(i) + 1000n,
      attributes: { "test.case.name": `case ${i}`, "nix.cached": false, ...more.attributes },
      events: more.events ?? [],
      links: [],
      status: statusOf("pass"),
    };
  });
}
