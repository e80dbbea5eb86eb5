// W3C trace context (https://www.w3.org/TR/trace-context/) in and out: a CI that traces its jobs
// (Jenkins' OpenTelemetry plugin, `otel-cli exec`, GitHub/GitLab OTel integrations) sets TRACEPARENT;
// the run span becomes a child of that span, in its trace. What nixotel starts outside the sandbox
// (the interactive test driver) gets a TRACEPARENT of its own, naming the span it runs under.
import { isSpanContextValid } from "@opentelemetry/api";
import { parseTraceParent } from "@opentelemetry/core";

export interface ParentContext {
  traceId: string;
  spanId: string;
}

export type Incoming = { kind: "none" } | { kind: "parent"; parent: ParentContext } | { kind: "invalid"; raw: string };

/** TRACEPARENT as the CI set it: a parent, nothing, or a value that is not a valid traceparent (all-zero ids are not). */
export function incomingTraceparent(env: NodeJS.ProcessEnv): Incoming {
  const raw = env.TRACEPARENT;
  if (raw === undefined || raw.trim() === "") return { kind: "none" };
  const parsed = parseTraceParent(raw.trim());
  if (!parsed || !isSpanContextValid(parsed)) return { kind: "invalid", raw };
  return { kind: "parent", parent: { traceId: parsed.traceId, spanId: parsed.spanId } };
}

/** The parent named by TRACEPARENT, when it names a valid one. */
export const incomingParent = (env: NodeJS.ProcessEnv): ParentContext | undefined => {
  const incoming = incomingTraceparent(env);
  return incoming.kind === "parent" ? incoming.parent : undefined;
};

/** A traceparent value for a span nixotel records (sampled: nixotel records every run). */
export const traceparentOf = (traceId: string, spanId: string) => `00-${traceId}-${spanId}-01`;
