// Driver actions (src/ingest/driver-actions.ts) as spans: named by the verb, under the subtest they ran
// in (or the check), nested actions under their action. Spans of a check built in this run are kept
// inside their parent, like the subtests whose lines time them.
import type { DriverAction } from "../ingest/driver-actions.js";
import { newSpanId, type Attributes, type SpanData } from "./model.js";
import { subtestOf } from "./subtest.js";
import { ATTR, INTERNAL, Role, statusOf } from "./vocabulary.js";

/** Where an action's subtest span is: the check's subtest spans in the order they opened. */
export interface ActionParents {
  checkSpan: SpanData;
  subtestSpans: readonly SpanData[];
  /** Keep each span inside its parent's window (a check built in this run). */
  clamp: boolean;
}

/** The subtest span an action ran in: the one at its place in the order, else the first of its name. */
function parentOf(action: DriverAction, parents: ActionParents): SpanData {
  const { subtest } = action;
  if (!subtest) return parents.checkSpan;
  const atPlace = parents.subtestSpans[subtest.index];
  if (atPlace && subtestOf(atPlace) === subtest.name) return atPlace;
  return parents.subtestSpans.find((s) => subtestOf(s) === subtest.name) ?? parents.checkSpan;
}

export function actionSpans(actions: readonly DriverAction[], parents: ActionParents): SpanData[] {
  // The check's task name rides along: span metrics of actions per verb *and* per check (the dashboard's p95 panel).
  const task = parents.checkSpan.attributes[ATTR.taskName];
  const check: Attributes = task === undefined ? {} : { [ATTR.taskName]: task };
  return actions.flatMap((action) => spansOf(action, parentOf(action, parents), parents.clamp, check));
}

function spansOf(action: DriverAction, parent: SpanData, clamp: boolean, check: Attributes): SpanData[] {
  const within = (t: bigint) => (!clamp ? t : t < parent.startNs ? parent.startNs : t > parent.endNs ? parent.endNs : t);
  const startNs = within(action.startNs);
  const endNs = within(action.endNs);
  const span: SpanData = {
    traceId: parent.traceId,
    spanId: newSpanId(),
    parentSpanId: parent.spanId,
    name: action.verb,
    kind: INTERNAL,
    startNs,
    endNs: endNs < startNs ? startNs : endNs,
    attributes: {
      [ATTR.role]: Role.action,
      ...check,
      [ATTR.action]: action.verb,
      [ATTR.machine]: action.machine,
      ...(action.target !== undefined ? { [ATTR.actionTarget]: action.target } : {}),
      ...(action.exitCode !== undefined ? { [ATTR.processExitCode]: action.exitCode } : {}),
    },
    events: [],
    links: [],
    status: statusOf(action.status, action.error),
  };
  return [span, ...action.children.flatMap((child) => spansOf(child, span, clamp, check))];
}
