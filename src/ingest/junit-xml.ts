// Reads the JUnit file the NixOS test driver writes with `--junit-xml` (nixos/lib/test-driver, logger.py's
// JunitXMLLogger through python's junit_xml, or test_reporter.py through junitparser). Only what the
// driver writes is needed: one <testcase name=… [time=…]> per subtest name (nested subtests are flat
// cases), a <failure>/<error> child when it failed, and a "main" case for lines outside every subtest.

export interface JunitCase {
  name: string;
  failed: boolean;
  /** The case's own time (2024 drivers write none). */
  seconds?: number;
  /** The failure's `message` attribute ("test case failed" in every driver so far). */
  message?: string;
}

/** The driver's case for what ran outside every subtest: not a subtest of its own. */
export const MAIN_CASE = "main";

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

function decodeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out[match[1]!] = decodeXml(match[2] ?? match[3] ?? "");
  }
  return out;
}

// <testcase …/> or <testcase …>…</testcase>; the driver never nests testcases.
const TESTCASE = /<testcase\b((?:[^>"']|"[^"]*"|'[^']*')*?)(\/>|>([\s\S]*?)<\/testcase\s*>)/g;
const FAILURE = /<(failure|error)\b((?:[^>"']|"[^"]*"|'[^']*')*)\/?>/;

/** The test cases of a driver JUnit file; throws with a reason when it is not one. */
export function parseDriverJunit(xml: string): JunitCase[] {
  if (!/<testsuites?\b/.test(xml)) throw new Error("no <testsuite> element: not a JUnit file");
  const cases: JunitCase[] = [];
  for (const match of xml.matchAll(TESTCASE)) {
    const attributes = attributesOf(match[1] ?? "");
    if (attributes.name === undefined) throw new Error("a <testcase> without a name attribute");
    const failure = FAILURE.exec(match[3] ?? "");
    const seconds = attributes.time === undefined ? undefined : Number(attributes.time);
    const message = failure ? attributesOf(failure[2] ?? "").message : undefined;
    cases.push({
      name: attributes.name,
      failed: failure !== null,
      ...(seconds !== undefined && Number.isFinite(seconds) ? { seconds } : {}),
      ...(message ? { message } : {}),
    });
  }
  return cases;
}
