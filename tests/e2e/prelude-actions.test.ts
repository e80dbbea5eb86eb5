// Driver actions from the prelude end to end: real nix builds the `prelude-e2e` fixture's passing check, whose
// builder runs the REAL prelude under the stand-in driver (a mock of nixpkgs' driver that prints the driver's
// nested blocks too); then a rerun finds it cached. Both runs show the same action spans, once each (the
// prelude's win over the log's), with the times the build recorded.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SpanData } from "../../src/spans/model.js";
import { actionRows, runWithSpans, type RunWithSpans } from "../runner/support/actions.js";
import type { FlakeCopy } from "../runner/support/fixture.js";
import { copyE2eFixture } from "./support.js";

let flake: FlakeCopy;
const runs: RunWithSpans[] = [];

beforeAll(async () => {
  flake = await copyE2eFixture("prelude-e2e");
  runs.push(await runWithSpans(flake, ["run", "passing"]));
  runs.push(await runWithSpans(flake, ["run", "passing"]));
}, 240_000);

afterAll(async () => {
  await flake?.remove();
});

/** `parent > verb (machine, target): length in ns` per action span, in the order they started. */
const actions = (spans: readonly SpanData[]) => actionRows(spans, (s) => String(s.endNs - s.startNs));

it("a built check shows each driver action once, from the prelude", () => {
  const [built] = runs;
  expect(built!.invocation.code, built!.invocation.stderr).toBe(0);
  const rows = actions(built!.spans).map((row) => row.replace(/: \d+$/, ""));
  expect(rows).toEqual([
    "test.e2e.passing > start (machine, -)",
    "subtest: machine is up > wait_for_unit (machine, multi-user.target)",
    "wait_for_unit > boot (machine, -)",
    "subtest: machine is up > wait_for_open_port (machine, localhost:22)",
    "subtest: machine is up > succeed (machine, true)",
    `subtest: span is emitted > succeed (machine, /bin/bash "$NIXOTEL_E2E_EMITTER" --suite e2e emitted-in-vm passed 5)`,
    "custom step > succeed (machine, true)", // the prelude sees the otel_span around it; the log only its subtest
  ]);
  const action = built!.spans.filter((s) => s.attributes["nixotel.role"] === "action");
  expect(new Set(action.map((s) => s.scope?.name))).toEqual(new Set(["nixotel.prelude"]));
  expect(new Set(action.map((s) => s.attributes["cicd.pipeline.task.name"]))).toEqual(new Set(["passing"]));
  expect(action.filter((s) => s.name === "succeed").map((s) => s.attributes["process.exit.code"])).toEqual([0, 0, 0]);
});

it("the cached rerun shows the same actions, lengths to the nanosecond, from the spans the build left in $out", () => {
  const [built, cached] = runs;
  expect(cached!.invocation.code, cached!.invocation.stderr).toBe(0);
  const check = cached!.spans.find((s) => s.name === "test.e2e.passing" && s.attributes["nixotel.role"] === "check")!;
  expect(check.attributes["nix.cached"]).toBe(true);
  expect(actions(cached!.spans)).toEqual(actions(built!.spans));
  expect(cached!.invocation.stdout).toMatch(/Slowest driver actions\n.*(wait_for_unit|succeed|boot|start|wait_for_open_port)/);
});
