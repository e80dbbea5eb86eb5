// The one place the page decides a span's role: the role the span recorded (read-trace reads it), and
// for runs written before roles were recorded, one correction to read-trace's guess.
import type { TraceNode } from "../../runs/read-trace.js";
import { SCOPE } from "../../spans/model.js";
import { ATTR, Role, type SpanRole } from "../../spans/vocabulary.js";

/** In-test spans come from the prelude or the emitter, which set their own scope; an unmarked span
 * nixotel made on the host (no scope, or nixotel's) that read-trace guesses is in-test was a phase of
 * the run: `evaluate checks`, nix's `evaluating flake`, cache queries. */
export function pageRoleOf(node: TraceNode): SpanRole {
  const { span } = node;
  const unmarked = span.attributes[ATTR.role] === undefined;
  if (unmarked && node.role === Role.inTest && (span.scope?.name ?? SCOPE.name) === SCOPE.name) return Role.phase;
  return node.role;
}
