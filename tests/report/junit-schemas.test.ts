// nixotel's JUnit against what Jenkins' xunit plugin (junit-10.xsd) and Maven Surefire
// (surefire-test-report.xsd) accept, checked by xmllint with schemas written from their published
// element/attribute lists. The first tests prove the schemas hold the rules nixotel's output relies on.
import { describe, expect, test } from "vitest";
import { junitXml } from "../../src/report/junit.js";
import { junitRecord } from "./support/junit-record.js";
import { SUREFIRE_SCHEMA, XUNIT_SCHEMA, suiteDocuments, validate } from "./support/junit-schemas.js";

const suite = (attributes: string, body: string) =>
  `<testsuite name="s" tests="1" failures="0" errors="0" skipped="0"${attributes}>${body}</testsuite>`;
const CASE = '<testcase name="c" classname="s" time="0.100"><system-out>x</system-out></testcase>';

describe("the rules the schemas hold", () => {
  test("xunit: a testsuites root with a testsuite and a testcase validates", async () => {
    expect(await validate(`<testsuites tests="1">${suite("", CASE)}</testsuites>`, XUNIT_SCHEMA)).toEqual({ valid: true, errors: "" });
  });

  test("xunit: no skipped attribute on testsuites", async () => {
    const result = await validate(`<testsuites skipped="0">${suite("", CASE)}</testsuites>`, XUNIT_SCHEMA);
    expect(result.errors).toMatch(/attribute 'skipped': The attribute 'skipped' is not allowed/);
  });

  test("xunit: no properties inside a testcase, but they may sit in a testsuite", async () => {
    const properties = '<properties><property name="k" value="v"/></properties>';
    const inCase = suite("", `<testcase name="c">${properties}</testcase>`);
    expect((await validate(inCase, XUNIT_SCHEMA)).errors).toMatch(/Element 'properties': This element is not expected/);
    expect((await validate(suite("", properties + CASE), XUNIT_SCHEMA)).valid).toBe(true);
  });

  test("surefire: one testsuite is the only root; no timestamp on it", async () => {
    expect((await validate(`<testsuites>${suite("", CASE)}</testsuites>`, SUREFIRE_SCHEMA)).errors).toMatch(
      /No matching global declaration/,
    );
    expect((await validate(suite(' timestamp="2026-01-01T00:00:00"', CASE), SUREFIRE_SCHEMA)).errors).toMatch(/'timestamp' is not allowed/);
    expect((await validate(suite("", CASE), SUREFIRE_SCHEMA)).valid).toBe(true);
  });

  test("surefire: properties before testcases, a testcase's time required and at most three decimals", async () => {
    const properties = "<properties/>";
    expect((await validate(suite("", CASE + properties), SUREFIRE_SCHEMA)).errors).toMatch(
      /Element 'properties': This element is not expected/,
    );
    expect((await validate(suite("", '<testcase name="c"/>'), SUREFIRE_SCHEMA)).errors).toMatch(/attribute 'time' is required/);
    expect((await validate(suite("", '<testcase name="c" time="0.1234"/>'), SUREFIRE_SCHEMA)).valid).toBe(false);
  });

  test("surefire: a failure needs a type and comes before skipped and system-out", async () => {
    const failure = (attributes: string) =>
      suite("", `<testcase name="c" time="1"><failure${attributes}>tail</failure><system-out>x</system-out></testcase>`);
    expect((await validate(failure(' type="t" message="m"'), SUREFIRE_SCHEMA)).valid).toBe(true);
    expect((await validate(failure(' message="m"'), SUREFIRE_SCHEMA)).errors).toMatch(/attribute 'type' is required/);
    const late = suite("", '<testcase name="c" time="1"><system-out>x</system-out><failure type="t"/></testcase>');
    expect((await validate(late, SUREFIRE_SCHEMA)).valid).toBe(false);
    const skippedWithType = suite("", '<testcase name="c" time="1"><skipped type="t"/></testcase>');
    expect((await validate(skippedWithType, SUREFIRE_SCHEMA)).errors).toMatch(/'type' is not allowed/);
  });
});

describe("nixotel's JUnit", () => {
  const xml = junitXml(junitRecord);

  test("validates against xunit's junit-10 schema as a whole", async () => {
    expect(await validate(xml, XUNIT_SCHEMA)).toEqual({ valid: true, errors: "" });
  });

  test("each testsuite validates against Surefire's schema, as a file of its own", async () => {
    const documents = suiteDocuments(xml);
    expect(documents).toHaveLength(2);
    for (const document of documents) expect(await validate(document, SUREFIRE_SCHEMA)).toEqual({ valid: true, errors: "" });
  });

  test("a run without checks still validates", async () => {
    expect((await validate(junitXml({ ...junitRecord, checks: [] }), XUNIT_SCHEMA)).valid).toBe(true);
  });
});
