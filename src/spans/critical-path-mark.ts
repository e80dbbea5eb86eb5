// Marks the build spans on the run's critical path (`nixotel.critical_path = true`), so a trace viewer
// and the HTML report's waterfall can show the chain. The path is about the run's `nix build`: under
// --retries a later attempt of a check (attempt > 1) is not it.
import type { CriticalPathRecord } from "../runs/timing-record.js";
import type { Attributes, SpanData } from "./model.js";
import { ATTR, Role } from "./vocabulary.js";

/** The drv paths of the builds on the path. */
export const criticalDrvPaths = (path: CriticalPathRecord | undefined): ReadonlySet<string> =>
  new Set(path?.steps.flatMap((step) => (step.kind === "build" ? [step.drvPath] : [])));

/** Whether a span is one of the path's builds: marked when written, or a build of one of its drv paths. */
export function isOnCriticalPath(attributes: Attributes, onPath: ReadonlySet<string>): boolean {
  if (attributes[ATTR.criticalPath] === true) return true;
  const attempt = attributes[ATTR.attempt];
  const firstAttempt = attempt === undefined || attempt === 1;
  return attributes[ATTR.role] === Role.build && onPath.has(String(attributes[ATTR.nixDrvPath])) && firstAttempt;
}

export function markCriticalPath(spans: SpanData[], path: CriticalPathRecord | undefined): SpanData[] {
  const onPath = criticalDrvPaths(path);
  if (!onPath.size) return spans;
  for (const span of spans) if (isOnCriticalPath(span.attributes, onPath)) span.attributes[ATTR.criticalPath] = true;
  return spans;
}
