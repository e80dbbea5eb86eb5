// A span written by hand for a test: the fields every SpanData needs, with what the test cares about on top.
import type { SpanData } from "../../src/spans/model.js";
import { INTERNAL, UNSET_STATUS } from "../../src/spans/vocabulary.js";

/** An internal span of trace `a…a` from 1 ns to 2 ns, unset status, named after its id unless `fields` say otherwise. */
export const bareSpan = (fields: Partial<SpanData> & Pick<SpanData, "spanId">): SpanData => ({
  traceId: "a".repeat(32),
  name: `s${fields.spanId}`,
  kind: INTERNAL,
  startNs: 1n,
  endNs: 2n,
  attributes: {},
  events: [],
  links: [],
  status: UNSET_STATUS,
  ...fields,
});
