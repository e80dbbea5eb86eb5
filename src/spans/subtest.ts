// One convention for subtest spans, whoever records them (the prelude, the driver's log lines, the
// driver's JUnit file): named `subtest: NAME` like the driver's log line, identified by an attribute.
import type { SpanData } from "./model.js";

const SUBTEST_ATTRIBUTE = "nixos.test.subtest";

export const subtestSpanName = (name: string) => `subtest: ${name}`;

/** The subtest a span records, or undefined for any other span. */
export function subtestOf(span: Pick<SpanData, "attributes">): string | undefined {
  const name = span.attributes[SUBTEST_ATTRIBUTE];
  return typeof name === "string" ? name : undefined;
}

/** Attributes every subtest span carries: the subtest is a test case of the NixOS test (its suite). */
export const subtestAttributes = (name: string, testName: string | undefined, status: "pass" | "fail") => ({
  [SUBTEST_ATTRIBUTE]: name,
  "test.case.name": name,
  ...(testName === undefined ? {} : { "test.suite.name": testName }),
  "test.case.result.status": status,
});
