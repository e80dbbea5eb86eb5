// The prelude's driver action spans (scripts/nixotel_prelude.py wraps the driver's Machine methods): its Python
// unit tests against mock machines (test_prelude_actions.py), the secret rules it shares with
// src/ingest/action-target.ts (written in both languages, checked here on the same targets), and the same tree
// as the log parser (src/ingest/driver-actions.ts) reads from the stand-in driver's log of the same run.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterEach, describe, expect, it } from "vitest";
import { safeTarget } from "../../src/ingest/action-target.js";
import { parseDriverActions, type DriverAction } from "../../src/ingest/driver-actions.js";
import { attr, cleanupStandinRuns, here, python, repoRoot, runStandin, type OtlpSpan } from "./standin.js";

afterEach(cleanupStandinRuns);

it("passes its Python unit tests against mock machines of several driver generations", async () => {
  const run = await execa(python, [join(here, "test_prelude_actions.py")], { reject: false, all: true });
  expect(run.exitCode, run.all).toBe(0);
});

describe("targets", () => {
  const samples = [
    "nginx.service",
    "curl -fsS -H 'Authorization: Bearer abcdefgh12345' http://localhost/",
    "curl -u x https://alice:hunter2@example.org/path?q=1",
    "mysql --password s3cret -e 'select 1'",
    'export API_KEY=abc123; DB_PASSWORD: "two words" tok=ghp_abcdefghijklmnopqrstuvwxyz0123',
    "proxy-authorization: basic dXNlcjpwYXNz and bearer short",
    "echo eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N",
    "xoxb-1234567890-abcdef slack",
    "line one\n   line two\n\nline three  ",
    `printf '${"x".repeat(300)}'`,
    "naïve café — ünïcode ⏎ stays",
  ];

  it("hides secrets, joins lines and cuts long ones exactly as src/ingest/action-target.ts does", async () => {
    const prelude = await readFile(join(repoRoot, "scripts/nixotel_prelude.py"), "utf8");
    const code = `import json, sys\nsymbols = {}\nexec(compile(${JSON.stringify(prelude)}, "<string>", "exec"), symbols)\nprint(json.dumps([symbols["_nixotel_safe_target"](t) for t in json.load(sys.stdin)]))`;
    const run = await execa(python, ["-c", code], { input: JSON.stringify(samples) });
    expect(JSON.parse(run.stdout)).toEqual(samples.map(safeTarget));
  });
});

/** `path > verb (machine, target) status` per action, parents first: the tree both sources must give. */
type Row = string;
const rowsOfLog = (actions: readonly DriverAction[], path = ""): Row[] =>
  actions.flatMap((a) => [
    `${path}${a.verb} (${a.machine}, ${a.target ?? "-"}) ${a.status}`,
    ...rowsOfLog(a.children, `${path}${a.verb} > `),
  ]);

function rowsOfSpans(spans: OtlpSpan[]): Row[] {
  const isAction = (s: OtlpSpan) => attr(s, "nixos.test.action") !== undefined;
  const byStart = (a: OtlpSpan, b: OtlpSpan) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano));
  const rows = (actions: OtlpSpan[], path: string): Row[] =>
    actions.sort(byStart).flatMap((s) => [
      `${path}${s.name} (${String(attr(s, "nixos.test.machine"))}, ${String(attr(s, "nixos.test.action.target") ?? "-")}) ${s.status.code === 2 ? "fail" : "pass"}`,
      ...rows(
        spans.filter((c) => isAction(c) && c.parentSpanId === s.spanId),
        `${path}${s.name} > `,
      ),
    ]);
  // Outer actions hang under the test span or a subtest (the log parser's roots): in the order they started.
  const outer = spans.filter((s) => isAction(s) && !isAction(spans.find((p) => p.spanId === s.parentSpanId) ?? s));
  return rows(outer, "");
}

it("gives the tree the log parser reads from the driver's log of the same run", async () => {
  const script = [
    `server.wait_for_unit("nginx.service")`,
    `with subtest("serve"):`,
    `    server.wait_for_open_port(80)`,
    `    client.succeed("true", "echo --password=hunter2")`,
    `    try:`,
    `        client.succeed("exit 4")`,
    `    except Exception:`,
    `        pass`,
    `server.shutdown()`,
  ].join("\n");
  const run = await runStandin(script, { machines: "server,client" });
  expect(run.exitCode, run.stderr).toBe(0);
  const lines = run.stderr.split("\n").map((text, i) => ({ timeNs: BigInt(i), text }));
  const fromLog = rowsOfLog(parseDriverActions(lines, BigInt(lines.length), false).actions);
  expect(rowsOfSpans(run.spans)).toEqual(fromLog);
  expect(fromLog).toEqual([
    "wait_for_unit (server, nginx.service) pass",
    "wait_for_unit > boot (server, -) pass",
    "wait_for_unit > boot > start (server, -) pass",
    "wait_for_open_port (server, localhost:80) pass",
    "succeed (client, true) pass",
    "succeed > boot (client, -) pass",
    "succeed > boot > start (client, -) pass",
    "succeed (client, echo --password=***) pass",
    "succeed (client, exit 4) fail",
    "shutdown (server, -) pass",
  ]);
  const failed = run.spans.find((s) => attr(s, "nixos.test.action.target") === "exit 4")!;
  expect([failed.status.message, attr(failed, "process.exit.code")]).toEqual(["command `exit 4` failed (exit code 4)", "4"]);
});
