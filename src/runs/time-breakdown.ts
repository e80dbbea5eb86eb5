// Where a check's time went, from its driver action spans (src/spans/actions.ts): VM boot, waiting,
// commands, and the rest; and the slowest actions of the whole run. Nested actions count once: each
// span's own time (its length less its child actions') goes to its verb's kind, so a boot inside a
// first `wait_for_unit` is boot, not waiting.
import { ATTR, isFailed, Role } from "../spans/vocabulary.js";
import { durationMs, type TraceNode } from "./read-trace.js";

export type TimeKind = "boot" | "waiting" | "commands";

export interface TimeBreakdown {
  totalMs: number;
  bootMs: number;
  waitingMs: number;
  commandsMs: number;
  /** The check's time outside any action: evaluation of the script, the driver itself, nix. */
  restMs: number;
}

export interface SlowAction {
  verb: string;
  machine: string;
  target: string;
  durationMs: number;
  failed: boolean;
  /** The check it ran in, `suite.name`. */
  check: string;
}

/** VM lifecycle verbs count as boot, `wait_*` as waiting, everything else a machine does as commands. */
export const kindOfVerb = (verb: string): TimeKind =>
  verb === "boot" || verb === "start" || verb === "shutdown" ? "boot" : verb.startsWith("wait_") ? "waiting" : "commands";

const text = (node: TraceNode, key: string) => {
  const value = node.span.attributes[key];
  return value === undefined ? "" : String(value);
};

/** Every action span under `node`, outermost first. */
export function actionsUnder(node: TraceNode): TraceNode[] {
  return node.children.flatMap((child) => [...(child.role === Role.action ? [child] : []), ...actionsUnder(child)]);
}

/** The check's time by kind; undefined when it has no action spans (nothing to break down). */
export function timeBreakdown(check: TraceNode): TimeBreakdown | undefined {
  const actions = actionsUnder(check);
  if (!actions.length) return undefined;
  const byKind: Record<TimeKind, number> = { boot: 0, waiting: 0, commands: 0 };
  for (const action of actions) {
    const inner = action.children.filter((c) => c.role === Role.action).reduce((sum, c) => sum + durationMs(c), 0);
    byKind[kindOfVerb(text(action, ATTR.action) || action.span.name)] += Math.max(0, durationMs(action) - inner);
  }
  // A cached check's span is an instant; what its stored log timed is what it took.
  const spanned = [check, ...check.children];
  const totalMs = Math.max(...spanned.map((n) => n.endMs)) - Math.min(...spanned.map((n) => n.startMs));
  const used = byKind.boot + byKind.waiting + byKind.commands;
  return {
    totalMs: Math.max(totalMs, used),
    bootMs: byKind.boot,
    waitingMs: byKind.waiting,
    commandsMs: byKind.commands,
    restMs: Math.max(0, totalMs - used),
  };
}

/** The `count` longest actions of the run's checks, longest first: what someone chasing a slow suite reads first. */
export function slowestActions(checks: readonly { name: string; node?: TraceNode }[], count: number): SlowAction[] {
  return checks
    .flatMap(({ name, node }) =>
      (node ? actionsUnder(node) : []).map((action) => ({
        verb: text(action, ATTR.action) || action.span.name,
        machine: text(action, ATTR.machine),
        target: text(action, ATTR.actionTarget),
        durationMs: durationMs(action),
        failed: isFailed(action.span),
        check: name,
      })),
    )
    .sort((a, b) => b.durationMs - a.durationMs)
    .slice(0, count);
}
