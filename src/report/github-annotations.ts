// GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`): each failing check and
// each failing subtest becomes an annotation on the test file: a check at the testScript line its traceback
// names (else the testScript's), a subtest at its `subtest("…")` line.
// Values are escaped as the runner's command parser reads them back (actions/toolkit, command.ts).
import type { CheckRecord, RunRecord } from "../runs/record.js";
import type { TestLocation } from "./test-files.js";

const ANNOTATED_TAIL_LINES = 10;

/** Escaping of a command's message: `%`, CR and LF. */
const escapeData = (text: string) => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
/** Escaping of a property value: also `:` and `,`, which end a property. */
const escapeProperty = (text: string) => escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");

function command(properties: Record<string, string | number | undefined>, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`);
  return `::error ${props.join(",")}::${escapeData(message)}`;
}

// A traceback frame in the user's numbering (src/ingest/driver-log.ts withUserLineNumbers); the last is innermost.
const SCRIPT_FRAME = /File "testScript", line (\d+)/g;

/** The test file's line where the check's traceback says the testScript failed, when both are known. */
export function failingLineOf(logTail: readonly string[], where: TestLocation | undefined): number | undefined {
  const frames = logTail.flatMap((text) => [...text.matchAll(SCRIPT_FRAME)].map((m) => Number(m[1])));
  const scriptLine = frames.at(-1);
  return scriptLine === undefined || where?.scriptStart === undefined ? undefined : where.scriptStart + scriptLine - 1;
}

function checkAnnotations(check: CheckRecord, where: TestLocation | undefined): string[] {
  const title = `${check.suite}.${check.name} failed${check.errorType ? ` (${check.errorType})` : ""}`;
  const tail = check.logTail.slice(-ANNOTATED_TAIL_LINES).join("\n");
  const failedSubtests = check.subtests.filter((s) => s.status === "fail");
  const own = command({ file: where?.file, line: failingLineOf(check.logTail, where) ?? where?.line, title }, tail || title);
  // Nested subtests are recorded as `outer › inner`; the innermost is the one written in the file.
  const subtests = failedSubtests.map((s) =>
    command(
      {
        file: where?.file,
        line: where?.subtests[s.name.split(" › ").at(-1) ?? s.name] ?? where?.line,
        title: `subtest "${s.name}" failed`,
      },
      `${s.name} failed in ${check.suite}.${check.name}`,
    ),
  );
  return [own, ...subtests];
}

/** One line per annotation, for the job's log; none when every check passed. */
export function githubAnnotations(record: RunRecord, locations: ReadonlyMap<string, TestLocation>): string {
  const lines = record.checks.filter((c) => c.status === "fail").flatMap((c) => checkAnnotations(c, locations.get(c.name)));
  return lines.map((l) => `${l}\n`).join("");
}
