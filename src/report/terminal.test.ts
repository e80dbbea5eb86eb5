// The end-of-run summary and the live progress share one `plain`: no name, error type, problem or
// collector message a test author or collector wrote can put a control character on the terminal.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runRecord } from "../runs/record.js";
import { plain } from "./plain.js";
import { startedLine } from "./progress-format.js";
import { summary } from "./terminal.js";

const HOSTILE = "web\x1b[2J\nFAKE PASS";

async function mixedRecord() {
  const path = join(import.meta.dirname, "..", "..", "tests", "fixtures", "runs", "mixed", "run.json");
  return runRecord.parse(JSON.parse(await readFile(path, "utf8")));
}

describe("summary", () => {
  it("replaces control characters in check names, error types, problems and collector answers", async () => {
    const record = await mixedRecord();
    const check = { ...record.checks[0]!, suite: "nginx", name: HOSTILE, errorType: "bad\x07", problems: ["line 1:\x1b[31m red"] };
    const text = summary(
      { ...record, checks: [check] },
      {
        spansFile: "spans.jsonl",
        endpoint: "http://collector",
        delivered: false,
        spooled: 1,
        error: "down\nnow",
        rejected: 1,
        rejection: "HTTP 400\x1b]0;t\x07",
      },
    );
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/); // only the line breaks summary() puts
    expect(text).toContain("nginx.web�[2J�FAKE PASS (");
    expect(text).toContain(" bad�\n");
    expect(text).toContain("unreadable telemetry: line 1:�[31m red");
    expect(text).toContain("(down�now)");
    expect(text).toContain("(HTTP 400�]0;t�)");
    expect(text.split("\n").filter((line) => line.startsWith("FAKE"))).toEqual([]);
  });
});

describe("plain", () => {
  it("is the one rule for the live progress too: C0, DEL, C1 and the Unicode line separators", () => {
    expect(plain("a\x1bb\nc\x7fd\x9be\u2028f\u2029g")).toBe("a�b�c�d�e�f�g");
    expect(startedLine(HOSTILE, { drvPath: "/x.drv", machine: "", startNs: 0n, phases: [], lines: [], failed: false })).toBe(
      "building web�[2J�FAKE PASS\n",
    );
    expect(startedLine("line\u2028break", { drvPath: "/x.drv", machine: "", startNs: 0n, phases: [], lines: [], failed: false })).toBe(
      "building line�break\n",
    );
  });
});
