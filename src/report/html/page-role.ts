// The one place the page decides a span's role. Today it starts from read-trace's role (read back from
// attribute names); when the span vocabulary records roles, swap this for the recorded one.
import type { TraceNode } from "../../runs/read-trace.js";
import { SCOPE } from "../../spans/model.js";
import type { PageRole } from "./page-data.js";

/** In-test spans come from the prelude or the emitter, which set their own scope; a span nixotel made
 * on the host (no scope, or nixotel's) that read-trace calls "test" is a step of the run: `evaluate
 * checks`, nix's `evaluating flake`, cache queries. */
export function pageRoleOf(node: TraceNode): PageRole {
  if (node.role !== "test") return node.role;
  return (node.span.scope?.name ?? SCOPE.name) === SCOPE.name ? "step" : "test";
}
