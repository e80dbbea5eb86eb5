// Durations, positions and notes as the waterfall writes them.
import type { WaterfallSpan } from "../page-data";

export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)}ms`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s`;
}

/** Where `ms` falls on the trace's time axis, in percent, clamped to the track. */
export const percentOf = (ms: number, totalMs: number) => Math.max(0, Math.min(100, (ms / totalMs) * 100));

export const MOVED_NOTE = "recorded by an earlier (cached) build; shown from the start of its parent";

/** Why a bar sticks out of its parent's, in words: e.g. a span emitted as "ended now, lasted 40 ms"
 * inside an 8 ms subtest. */
export function outsideNote(span: WaterfallSpan): string | undefined {
  if (!span.outside) return undefined;
  const { beforeMs, afterMs } = span.outside;
  const parts = [beforeMs > 0 ? `starts ${formatMs(beforeMs)} before` : "", afterMs > 0 ? `ends ${formatMs(afterMs)} after` : ""];
  return `${parts.filter(Boolean).join(" and ")} its parent; drawn at the times it was recorded with`;
}
