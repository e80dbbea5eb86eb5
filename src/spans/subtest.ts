// One convention for subtest spans, whoever records them (the prelude, the driver's log lines, the
// driver's JUnit file): named `subtest: NAME` like the driver's log line, identified by an attribute.
import type { SpanData } from "./model.js";
import { ATTR } from "./vocabulary.js";

export const subtestSpanName = (name: string) => `subtest: ${name}`;

/** The subtest a span records, or undefined for any other span. */
export function subtestOf(span: Pick<SpanData, "attributes">): string | undefined {
  const name = span.attributes[ATTR.subtest];
  return typeof name === "string" ? name : undefined;
}

/** Attributes every subtest span carries: the subtest is a test case of the NixOS test (its suite). */
export const subtestAttributes = (name: string, testName: string | undefined, status: "pass" | "fail") => ({
  [ATTR.subtest]: name,
  [ATTR.testCaseName]: name,
  ...(testName === undefined ? {} : { [ATTR.testSuiteName]: testName }),
  [ATTR.testCaseResult]: status,
});
