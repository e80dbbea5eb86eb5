// The driver's own verdict per subtest ($out/junit.xml, see junit-xml.ts) against the subtests nixotel
// knows (the prelude's subtest spans, or the driver's log lines). Disagreements are kept visible: a
// `nixotel.junit.mismatch` event on the span, a subtest the JUnit file calls failed is failed, and a
// testcase no span has becomes a span of its own (`nixotel.source = junit`).
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Subtest } from "./driver-log.js";
import type { Ingested } from "./ingest.js";
import { MAIN_CASE, parseDriverJunit, type JunitCase } from "./junit-xml.js";
import { newSpanId, newTraceId, type SpanData } from "../spans/model.js";
import { subtestAttributes, subtestOf, subtestSpanName } from "../spans/subtest.js";
import { ATTR, EVENT, INTERNAL, isFailed, Role, statusOf } from "../spans/vocabulary.js";
import { isErrno } from "../files.js";

const JUNIT_FILE = "junit.xml";
export const JUNIT_FAILED = "the driver's JUnit file marks this subtest failed";
const PRELUDE_SCOPE = "nixotel.prelude";

/** What a check outcome carries that the cross-check reads and rewrites. */
export interface JunitTarget {
  startNs: bigint;
  endNs: bigint;
  subtests: Subtest[];
  ingested?: Ingested & { source: "out" | "log" };
  /** Telemetry the test left that could not be read; a broken junit.xml is added here. */
  problems?: string[];
}

/** `<outDir>/junit.xml` parsed; undefined when there is none; a problem when it cannot be read. */
async function readDriverJunit(outDir: string): Promise<{ cases: JunitCase[] } | { problem: string } | undefined> {
  const file = join(outDir, JUNIT_FILE);
  let xml: string;
  try {
    xml = await readFile(file, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined; // the driver wrote none
    return { problem: `${file}: ${(error as Error).message}` };
  }
  try {
    return { cases: parseDriverJunit(xml) };
  } catch (error) {
    return { problem: `${file}: ${(error as Error).message}` };
  }
}

/** The outcome with its subtests checked against `<outDir>/junit.xml`, when the driver wrote one. */
export async function withDriverJunit<T extends JunitTarget>(outcome: T, outDir: string): Promise<T> {
  const junit = await readDriverJunit(outDir);
  if (!junit) return outcome;
  if ("problem" in junit) return { ...outcome, problems: [...(outcome.problems ?? []), junit.problem] };
  if (outcome.ingested)
    return { ...outcome, ingested: { ...outcome.ingested, spans: crossCheckSpans(outcome.ingested.spans, junit.cases, outcome.startNs) } };
  return { ...outcome, subtests: crossCheckSubtests(outcome.subtests, junit.cases, outcome.endNs) };
}

const isPreludeRoot = (span: SpanData) => span.scope?.name === PRELUDE_SCOPE && span.attributes[ATTR.source] === "prelude";
const isSubtestSpan = (span: SpanData) => subtestOf(span) !== undefined;
// "main" is the driver's case for lines outside any subtest, unless the test really has a subtest named so.
const relevant = (cases: readonly JunitCase[], has: (name: string) => boolean) => cases.filter((c) => c.name !== MAIN_CASE || has(c.name));

/** Prelude spans checked against the JUnit cases; spans are copied, never changed in place. */
export function crossCheckSpans(spans: readonly SpanData[], cases: readonly JunitCase[], fallbackStartNs: bigint): SpanData[] {
  const out = spans.map((span) => ({ ...span, attributes: { ...span.attributes }, events: [...span.events] }));
  const subtests = out.filter(isSubtestSpan);
  const root = out.find(isPreludeRoot);
  let mismatches = 0;
  for (const junitCase of relevant(cases, (name) => subtests.some((s) => subtestOf(s) === name))) {
    const matching = subtests.filter((s) => subtestOf(s) === junitCase.name);
    if (matching.length === 0) {
      out.push(spanFromCase(junitCase, root, out[0], fallbackStartNs));
      mismatches += 1;
      continue;
    }
    const spansFailed = matching.some(isFailed);
    for (const span of matching) {
      span.attributes[ATTR.junitResult] = junitCase.failed ? "fail" : "pass";
      if (junitCase.failed === spansFailed) continue;
      span.events.push({
        name: EVENT.junitMismatch,
        timeNs: span.endNs,
        attributes: { [ATTR.junitResult]: junitCase.failed ? "fail" : "pass", [ATTR.spanResult]: spansFailed ? "fail" : "pass" },
      });
      if (junitCase.failed && !isFailed(span)) {
        span.status = statusOf("fail", JUNIT_FAILED);
        span.attributes[ATTR.testCaseResult] = "fail";
      }
    }
    if (junitCase.failed !== spansFailed) mismatches += 1;
  }
  if (root) root.attributes[ATTR.junitMismatches] = mismatches;
  return out;
}

function spanFromCase(junitCase: JunitCase, root: SpanData | undefined, any: SpanData | undefined, fallbackStartNs: bigint): SpanData {
  const startNs = root?.startNs ?? fallbackStartNs;
  const testName = root?.attributes[ATTR.testCaseName];
  return {
    traceId: root?.traceId ?? any?.traceId ?? newTraceId(), // rewritten to the run's when re-parented
    spanId: newSpanId(),
    ...(root ? { parentSpanId: root.spanId } : {}),
    name: subtestSpanName(junitCase.name),
    kind: INTERNAL,
    startNs,
    endNs: startNs + BigInt(Math.round((junitCase.seconds ?? 0) * 1e9)),
    attributes: {
      ...subtestAttributes(junitCase.name, typeof testName === "string" ? testName : undefined, junitCase.failed ? "fail" : "pass"),
      [ATTR.role]: Role.subtest,
      [ATTR.source]: "junit",
      [ATTR.junitResult]: junitCase.failed ? "fail" : "pass",
    },
    events: [],
    links: [],
    status: statusOf(junitCase.failed ? "fail" : "pass", junitCase.message ?? JUNIT_FAILED),
    ...(root?.resource ? { resource: root.resource } : {}),
    scope: { name: "nixotel.junit" },
  };
}

/** Subtests from the driver's log lines checked against the JUnit cases (copied, not changed in place). */
export function crossCheckSubtests(subtests: readonly Subtest[], cases: readonly JunitCase[], endNs: bigint): Subtest[] {
  const copy = (s: Subtest): Subtest => ({ ...s, children: s.children.map(copy) });
  const out = subtests.map(copy);
  const all: Subtest[] = [];
  const collect = (list: Subtest[]) => list.forEach((s) => (all.push(s), collect(s.children)));
  collect(out);
  for (const junitCase of relevant(cases, (name) => all.some((s) => s.name === name))) {
    const matching = all.filter((s) => s.name === junitCase.name);
    if (matching.length === 0) {
      const startNs = endNs - BigInt(Math.round((junitCase.seconds ?? 0) * 1e9));
      out.push({
        name: junitCase.name,
        startNs,
        endNs,
        status: junitCase.failed ? "fail" : "pass",
        ...(junitCase.failed ? { error: JUNIT_FAILED } : {}),
        children: [],
      });
      continue;
    }
    if (junitCase.failed && matching.every((s) => s.status === "pass"))
      for (const s of matching) Object.assign(s, { status: "fail", error: JUNIT_FAILED });
  }
  return out;
}
