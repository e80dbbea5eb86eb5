// A realistic run to report on: a passing check with dependency builds, nested subtests and in-test
// spans; a failing check with its log tail; a cached check whose spans come from an earlier build;
// and a check whose every name is hostile (<script>, quotes, U+2028).
import type { RunRecord } from "../../../src/runs/record.js";
import { PHASES, SpanMaker, attrOf, buildAttributes, checkAttributes } from "./span-maker.js";
import type { FixtureRun } from "./write-run.js";

export const HOSTILE_SUITE = `x"'<b>suite</b>`;
export const HOSTILE_NAME = `</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">`;
export const HOSTILE_SUBTEST = `quote's "sub" & <i>test</i>\u2028line`;
export const FAILING_LOG_TAIL = [
  "machine # [   12.840311] nginx[731]: 2026/11/25 10:15:41 [notice] 731#731: start worker processes",
  "machine: must succeed: curl -sf -u admin:wrong http://localhost/admin/",
  "machine: output: ",
  'Test "admin can log in" failed with error: "command `curl -sf -u admin:wrong http://localhost/admin/` failed (exit code 22)"',
  "cleanup",
  "kill machine (pid 412)",
  "error: builder for '/nix/store/b2k4l0m8w1c0kqz1xy9bx0p7fv2ypqd1-vm-test-run-broken-login.drv' failed with exit code 1",
];

const PRELUDE = "nixotel.prelude";
const EMITTER = "nixotel.emit_test_span";
const VM = { "service.name": "nixos-integration-tests", "host.name": "machine" };
// A subtest span as the prelude records it: named like the driver's log line, the subtest in `nixos.test.subtest`.
const subtestAttributes = (name: string, test: string, status: "pass" | "fail") => ({
  "nixos.test.subtest": name,
  "test.case.name": name,
  "test.suite.name": test,
  "test.case.result.status": status,
});

export function mixedRun(): FixtureRun {
  const m = new SpanMaker("4bf92f3577b34da6a3ce929d0e0e4736", 1_795_601_700n * 1_000_000_000n); // 2026-11-25T10:15:00Z
  const run = m.add(
    undefined,
    "nixotel run",
    0,
    96.4,
    {
      "cicd.pipeline.name": "nixotel run .",
      "cicd.pipeline.run.id": "20261125T101500Z-3fa9c2",
      "cicd.pipeline.result": "failure",
      "nix.flake": ".",
      "nix.system": "x86_64-linux",
    },
    { failed: "failure" },
  );

  const deps: [string, number, number][] = [
    ["nginx-1.27.3", 0.4, 21.7],
    ["python3.12-nixos-test-driver-1.1", 0.5, 9.8],
    ["nixos-system-machine-25.05", 21.9, 30.2],
  ];
  for (const [name, from, to] of deps) {
    const step = (to - from) / (PHASES.length + 1);
    m.add(run, `build ${name}`, from, to, buildAttributes(`/nix/store/a${name.length}x9s2k4l0m8w1c0kqz1xy9bx0p7fv2y-${name}.drv`, true), {
      events: PHASES.map((phase, i) => [phase, from + step * (i + 1)]),
    });
  }

  // 1. Passing check, built now, with the prelude's spans and the emitter's.
  const startup = m.add(
    run,
    "test.nginx.startup",
    30.3,
    78.9,
    checkAttributes("nginx", "startup", "pass", false, "c1startup0000000000000000000000"),
  );
  m.add(
    startup,
    "build vm-test-run-startup",
    30.3,
    78.8,
    buildAttributes("/nix/store/c1startup0000000000000000000000-vm-test-run-startup.drv", false),
    {
      events: [
        ["buildPhase", 30.5],
        ["installPhase", 78.6],
      ],
    },
  );
  const p1 = m.add(
    startup,
    "test.nginx.startup",
    31.0,
    78.4,
    { "test.case.name": "startup", "test.suite.name": "nginx", "nixotel.source": "prelude" },
    { scope: PRELUDE, resource: VM },
  );
  const boot = m.add(p1, "subtest: machine boots", 31.1, 52.6, subtestAttributes("machine boots", "startup", "pass"), {
    scope: PRELUDE,
    resource: VM,
  });
  m.add(boot, "wait_for_unit nginx.service", 40.2, 52.5, { "nixos.machine": "machine" }, { scope: PRELUDE, resource: VM });
  const serve = m.add(p1, "subtest: nginx serves the index", 52.7, 71.3, subtestAttributes("nginx serves the index", "startup", "pass"), {
    scope: PRELUDE,
    resource: VM,
  });
  const tls = m.add(serve, "subtest: TLS handshake", 60.0, 68.2, subtestAttributes("TLS handshake", "startup", "pass"), {
    scope: PRELUDE,
    resource: VM,
  });
  m.add(
    tls,
    "test.nginx.openssl-s_client",
    60.4,
    67.9,
    { "test.case.name": "openssl-s_client", "test.case.result.status": "pass", "test.suite.name": "nginx" },
    { scope: EMITTER, resource: VM },
  );
  m.add(
    serve,
    "test.nginx.curl-index",
    53.0,
    55.1,
    { "test.case.name": "curl-index", "test.case.result.status": "pass", "test.suite.name": "nginx" },
    { scope: EMITTER, resource: VM },
  );
  m.add(p1, "load fixtures", 71.4, 78.1, { rows: 3 }, { scope: PRELUDE, resource: VM });

  // 2. Failing check: one subtest fails; the log tail is on the check span and in run.json.
  const broken = m.add(
    run,
    "test.nginx.broken-login",
    30.3,
    95.9,
    checkAttributes("nginx", "broken-login", "fail", false, "b2k4l0m8w1c0kqz1xy9bx0p7fv2ypqd1"),
    {
      failed: "test_failed",
      logTail: FAILING_LOG_TAIL,
    },
  );
  m.add(
    broken,
    "build vm-test-run-broken-login",
    30.3,
    95.8,
    buildAttributes("/nix/store/b2k4l0m8w1c0kqz1xy9bx0p7fv2ypqd1-vm-test-run-broken-login.drv", false),
    { failed: "builder failed", events: [["buildPhase", 30.6]] },
  );
  const p2 = m.add(
    broken,
    "test.nginx.broken-login",
    31.2,
    95.5,
    { "test.case.name": "broken-login", "test.suite.name": "nginx", "nixotel.source": "prelude" },
    { scope: PRELUDE, resource: VM, failed: "command failed (exit code 22)" },
  );
  m.add(p2, "subtest: login page loads", 31.3, 88.0, subtestAttributes("login page loads", "broken-login", "pass"), {
    scope: PRELUDE,
    resource: VM,
  });
  const admin = m.add(p2, "subtest: admin can log in", 88.1, 95.4, subtestAttributes("admin can log in", "broken-login", "fail"), {
    scope: PRELUDE,
    resource: VM,
    failed: "command `curl -sf -u admin:wrong http://localhost/admin/` failed (exit code 22)",
  });
  m.add(
    admin,
    "test.nginx.curl-admin",
    88.3,
    95.3,
    { "test.case.name": "curl-admin", "test.case.result.status": "fail", "test.suite.name": "nginx" },
    { scope: EMITTER, resource: VM, failed: true },
  );

  // 3. Cached check: its spans were recorded by the build two days ago.
  const cached = m.add(
    run,
    "test.postgres.replication",
    0.2,
    0.4,
    checkAttributes("postgres", "replication", "pass", true, "d3replication000000000000000000"),
  );
  const earlier = -2 * 86400;
  const p3 = m.add(
    cached,
    "test.postgres.replication",
    earlier,
    earlier + 42.5,
    { "test.case.name": "replication", "test.suite.name": "postgres", "nixotel.source": "prelude" },
    { scope: PRELUDE, resource: VM },
  );
  m.add(p3, "subtest: primary starts", earlier + 0.2, earlier + 18.0, subtestAttributes("primary starts", "replication", "pass"), {
    scope: PRELUDE,
    resource: VM,
  });
  m.add(p3, "subtest: replica catches up", earlier + 18.1, earlier + 42.3, subtestAttributes("replica catches up", "replication", "pass"), {
    scope: PRELUDE,
    resource: VM,
  });

  // 4. Every name hostile; run.json carries no subtests for it, so the report reads them from spans.
  const hostile = m.add(
    run,
    `test.${HOSTILE_SUITE}.${HOSTILE_NAME}`,
    79.0,
    84.0,
    checkAttributes(HOSTILE_SUITE, HOSTILE_NAME, "pass", false, "e4hostile00000000000000000000000"),
  );
  const p4 = m.add(
    hostile,
    HOSTILE_NAME,
    79.2,
    83.9,
    { "test.case.name": HOSTILE_NAME, "test.suite.name": HOSTILE_SUITE, "nixotel.source": "prelude" },
    { scope: PRELUDE, resource: VM },
  );
  m.add(
    p4,
    `subtest: ${HOSTILE_SUBTEST}`,
    79.3,
    83.8,
    { ...subtestAttributes(HOSTILE_SUBTEST, HOSTILE_NAME, "pass"), "</script>": "<!--" },
    { scope: PRELUDE, resource: VM },
  );

  const record: RunRecord = {
    version: 1,
    runId: "20261125T101500Z-3fa9c2",
    traceId: m.traceId,
    command: "run",
    flake: ".",
    system: "x86_64-linux",
    startedAt: "2026-11-25T10:15:00.000Z",
    endedAt: "2026-11-25T10:16:36.400Z",
    result: "failure",
    checks: [
      {
        name: "startup",
        attr: attrOf("startup"),
        suite: "nginx",
        status: "pass",
        cached: false,
        durationMs: 48500,
        logTail: [],
        subtests: [
          { name: "machine boots", status: "pass", durationMs: 21500 },
          { name: "nginx serves the index", status: "pass", durationMs: 18600 },
          { name: "nginx serves the index › TLS handshake", status: "pass", durationMs: 8200 },
        ],
      },
      {
        name: "broken-login",
        attr: attrOf("broken-login"),
        suite: "nginx",
        status: "fail",
        cached: false,
        durationMs: 65500,
        errorType: "test_failed",
        logTail: FAILING_LOG_TAIL,
        subtests: [
          { name: "login page loads", status: "pass", durationMs: 56700 },
          { name: "admin can log in", status: "fail", durationMs: 7300 },
        ],
      },
      {
        name: "replication",
        attr: attrOf("replication"),
        suite: "postgres",
        status: "pass",
        cached: true,
        durationMs: 0,
        logTail: [],
        subtests: [],
      },
      {
        name: HOSTILE_NAME,
        attr: attrOf(HOSTILE_NAME),
        suite: HOSTILE_SUITE,
        status: "pass",
        cached: false,
        durationMs: 5000,
        logTail: [],
        subtests: [],
      },
    ],
    builds: deps.map(([name, from, to]) => ({
      drvPath: `/nix/store/a${name.length}x9s2k4l0m8w1c0kqz1xy9bx0p7fv2y-${name}.drv`,
      machine: "",
      status: "pass",
      durationMs: Math.round((to - from) * 1000),
    })),
    export: { endpoint: null, protocol: null, delivered: false, spooled: 0, spans: m.spans.length },
  };
  return { record, spans: m.spans };
}
