// The trace as the page's script receives it, embedded as JSON: the one type the page builder (Node)
// and the waterfall script (browser) share. Spans come parents first; times are ms from the trace start.
import type { SpanRole } from "../../spans/vocabulary.js";

/** How the page colours a span: the span vocabulary's roles. */
export type PageRole = SpanRole;

export interface SpanEvent {
  name: string;
  atMs: number;
}

export interface WaterfallSpan {
  /** Index of the parent in `spans`, -1 for a root. */
  parent: number;
  depth: number;
  role: PageRole;
  name: string;
  /** Shown in the row instead of `name` where the name only repeats the parent's (a check's test span). */
  label?: string;
  startMs: number;
  endMs: number;
  // The three marks are present only when true: a 5001-span page is 0.2 MB smaller for it.
  failed?: true;
  /** Recorded at another time (a cached check's spans) and moved to start with its parent. */
  moved?: true;
  /** A check whose result came from the store, not from a build in this run. */
  cached?: true;
  /** A build on the run's critical path (`nixotel.critical_path`). */
  critical?: true;
  /** How far the span reaches outside its parent's window (clock skew, or a duration that does not fit). */
  outside?: { beforeMs: number; afterMs: number };
  /** Status message, when the span failed with one. */
  statusMessage?: string;
  /** Attributes as [key, value] pairs, for the details panel. */
  attributes: [key: string, value: string][];
  events: SpanEvent[];
}

export interface WaterfallData {
  endMs: number;
  spans: WaterfallSpan[];
}
