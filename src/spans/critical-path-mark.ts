// Marks the build spans on the run's critical path (`nixotel.critical_path = true`), so a trace viewer
// and the HTML report's waterfall can show the chain. The path is about the run's `nix build`: under
// --retries a later attempt of a check (attempt > 1) is not it.
import type { CriticalPathRecord } from "../runs/timing-record.js";
import type { SpanData } from "./model.js";
import { ATTR, Role } from "./vocabulary.js";

export function markCriticalPath(spans: SpanData[], path: CriticalPathRecord | undefined): SpanData[] {
  const onPath = new Set(path?.steps.flatMap((step) => (step.kind === "build" ? [step.drvPath] : [])));
  if (!onPath.size) return spans;
  for (const span of spans) {
    const attempt = span.attributes[ATTR.attempt];
    const firstAttempt = attempt === undefined || attempt === 1;
    if (span.attributes[ATTR.role] === Role.build && onPath.has(String(span.attributes[ATTR.nixDrvPath])) && firstAttempt)
      span.attributes[ATTR.criticalPath] = true;
  }
  return spans;
}
