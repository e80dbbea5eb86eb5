// Validates JUnit text with xmllint (Debian's libxml2-utils) against the schemas the project writes itself
// from the consumers' published element/attribute lists (tests/report/junit-schemas/).
import { fileURLToPath } from "node:url";
import { execa } from "execa";

const schemaFile = (name: string) => fileURLToPath(new URL(`../junit-schemas/${name}`, import.meta.url));
export const XUNIT_SCHEMA = schemaFile("xunit-junit-10.xsd");
export const SUREFIRE_SCHEMA = schemaFile("surefire-test-report.xsd");

export interface Validation {
  valid: boolean;
  /** xmllint's messages, one a line (`-:LINE: element …`); empty when valid. */
  errors: string;
}

export async function validate(xml: string, schema: string): Promise<Validation> {
  const result = await execa("xmllint", ["--noout", "--schema", schema, "-"], { input: xml, reject: false });
  const errors = result.stderr.replace(/^- validates$/m, "").trim();
  return { valid: result.exitCode === 0, errors };
}

/** Each <testsuite> of a <testsuites> file as a document of its own: the shape of a Surefire report file. */
export const suiteDocuments = (xml: string) =>
  [...xml.matchAll(/<testsuite\b[^]*?<\/testsuite>/g)].map((m) => `<?xml version="1.0" encoding="UTF-8"?>\n${m[0]}\n`);
