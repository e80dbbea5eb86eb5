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

// The check's task name rides along: span metrics of actions per verb *and* per check (the dashboard's p95 panel).
function checkTask(checkSpan: SpanData): Attributes {
  const task = checkSpan.attributes[ATTR.taskName];
  return task === undefined ? {} : { [ATTR.taskName]: task };
}

export function actionSpans(actions: readonly DriverAction[], parents: ActionParents): SpanData[] {
  const check = checkTask(parents.checkSpan);
  return actions.flatMap((action) => spansOf(action, parentOf(action, parents), parents.clamp, check));
}

/** Spans a test recorded, the prelude's action spans among them given the check's task name as the log's get. */
export function withCheckTask(recorded: SpanData[], checkSpan: SpanData): SpanData[] {
  const check = checkTask(checkSpan);
  return recorded.map((s) => (s.attributes[ATTR.role] === Role.action ? { ...s, attributes: { ...s.attributes, ...check } } : s));
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
