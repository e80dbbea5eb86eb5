// The live progress: the redrawn terminal line (check, phase, latest subtest, elapsed, cut to the width)
// and the plain CI lines, driven by the same listener calls the build tracker makes.
import { describe, expect, it } from "vitest";
import type { Context } from "../context.js";
import { parseNixLine } from "../nix/activity.js";
import { BuildTracker, type BuildActivity } from "../nix/builds.js";
import { finishedLine, fit, liveLine, startedLine, subtestLine } from "./progress-format.js";
import { fakeTime } from "../../tests/support/fake-time.js";
import { progressListener, stepProgress } from "./terminal.js";

const S = 1_000_000_000n;
const build = (extra: Partial<BuildActivity> = {}): BuildActivity => ({
  drvPath: "/nix/store/00000000000000000000000000000000-vm-test-run-web.drv",
  machine: "",
  startNs: 10n * S,
  phases: [],
  lines: [],
  failed: false,
  ...extra,
});

describe("liveLine", () => {
  it("shows the check, its phase, the latest subtest, the elapsed time, the others and the count", () => {
    const line = liveLine({ label: "web", startNs: 10n * S, phase: "buildPhase", subtest: "boots" }, 1, 2, 22n * S + S / 2n, 100);
    expect(line).toBe("building web · buildPhase · subtest: boots · 12.5s (+1 more) · 2 built");
  });
  it("leaves out what is not known yet, and says when nothing builds", () => {
    expect(liveLine({ label: "web", startNs: 0n }, 0, 0, 0n, 100)).toBe("building web · 0.0s · 0 built");
    expect(liveLine(undefined, 0, 3, 0n, 100)).toBe("waiting for nix · 3 built");
  });
  it("is cut below the terminal width, marked with an ellipsis, and never carries control characters", () => {
    const line = liveLine({ label: "web", startNs: 0n, subtest: `a very long subtest name ${"x".repeat(80)}\x1b[2J` }, 0, 0, 0n, 40);
    expect([...line]).toHaveLength(39);
    expect(line.endsWith("…")).toBe(true);
    expect(liveLine({ label: "w\x1b[2Jeb", startNs: 0n }, 0, 0, 0n, 100)).toBe("building w�[2Jeb · 0.0s · 0 built");
    expect(fit("short", 40)).toBe("short");
    expect(fit("ab😀cd", 4)).toBe("ab…");
  });
});

describe("CI lines", () => {
  it("say failed for a failed build and finished with its time otherwise", () => {
    expect(finishedLine("web", build({ endNs: 12n * S }))).toBe("finished web in 2.0s\n");
    expect(finishedLine("web", build({ endNs: 12n * S, failed: true }))).toBe("failed web after 2.0s\n");
    expect(startedLine("web", build({ machine: "ssh://builder" }))).toBe("building web on ssh://builder\n");
    expect(subtestLine("web", "boots")).toBe("web: subtest: boots\n");
  });
});

function fakeContext(interactive: boolean) {
  const written: string[] = [];
  const context: Context = {
    cwd: "/",
    env: {},
    stdout: () => undefined,
    stderr: (text) => void written.push(text),
    interactive,
    signal: new AbortController().signal,
  };
  return { context, written };
}

describe("progressListener", () => {
  it("on a terminal redraws one line on phase and log events, following the latest subtest", () => {
    const { context, written } = fakeContext(true);
    let now = 0n;
    const clock = () => (now += 100_000_000n); // every event 0.1 s after the last: each one is drawn
    const progress = progressListener(context, () => "web", { width: () => 200, clock });
    const b = build({ startNs: 0n });
    progress.started!(b);
    b.phases.push({ name: "buildPhase", timeNs: 1n });
    progress.phase!(b);
    progress.line!(b, { timeNs: 2n, text: "\x1b[1;32msubtest: boots\x1b[0m" });
    progress.line!(b, { timeNs: 3n, text: "machine: must succeed: true" });
    expect(written.every((w) => w.startsWith("\r\x1b[K") && !w.includes("\n"))).toBe(true);
    expect(written).toHaveLength(4);
    expect(written[1]).toMatch(/^\r\x1b\[Kbuilding web · buildPhase · \d+\.\ds · 0 built$/);
    expect(written[3]).toMatch(/^\r\x1b\[Kbuilding web · buildPhase · subtest: boots · \d+\.\ds · 0 built$/);
    progress.finished!({ ...b, endNs: 5n });
    progress.done();
    expect(written.at(-1)).toBe("\r\x1b[K");
  });

  it("in CI prints a line per build start, subtest start and end, with failed for a failed build", () => {
    const { context, written } = fakeContext(false);
    const progress = progressListener(context, () => "web");
    const b = build();
    progress.started!(b);
    b.phases.push({ name: "buildPhase", timeNs: 1n });
    progress.phase!(b);
    progress.line!(b, { timeNs: 2n, text: "subtest: boots" });
    progress.line!(b, { timeNs: 3n, text: "(finished: subtest: boots, in 0.10 seconds)" });
    b.failed = true;
    b.endNs = 13n * S;
    progress.finished!(b);
    expect(written).toEqual(["building web\n", "web: subtest: boots\n", "failed web after 3.0s\n"]);
  });
});

it("the build tracker reports phases as nix's activity stream sets them", () => {
  const { context, written } = fakeContext(true);
  let now = 0n;
  const tracker = new BuildTracker(
    progressListener(context, () => "web", { width: () => 200, clock: () => (now += 100_000_000n) }),
    () => 0n,
  );
  for (const event of [
    { action: "start", id: 7, level: 3, type: 105, text: "", fields: ["/nix/store/00000000000000000000000000000000-web.drv", ""] },
    { action: "result", id: 7, type: 104, fields: ["checkPhase"] },
  ])
    tracker.handle(parseNixLine(`@nix ${JSON.stringify(event)}`));
  expect(written.at(-1)).toMatch(/^\r\x1b\[Kbuilding web · checkPhase · \d+\.\ds · 0 built$/);
});

describe("progressListener on a terminal", () => {
  it("shows the same check, phase and latest subtest as an unthrottled line would, at ≤ 20 redraws a second", () => {
    const time = fakeTime();
    const { context, written } = fakeContext(true);
    const progress = progressListener(context, () => "web", { width: () => 200, ...time });
    const build: BuildActivity = { drvPath: "/nix/store/x-web.drv", machine: "", startNs: 0n, phases: [], lines: [], failed: false };
    progress.started!(build);
    for (let i = 0; i < 5000; i++) {
      progress.line!(build, { timeNs: time.clock(), text: i % 100 === 0 ? `subtest: step ${i / 100}` : `log line ${i}` });
      time.advance(1);
    }
    time.advance(50);
    expect(written.length).toBeLessThanOrEqual(5 * 20 + 1);
    expect(written.at(-1)).toBe("\r\x1b[Kbuilding web · subtest: step 49 · 5.0s · 0 built");
  });
});

describe("stepProgress", () => {
  it("prints each step as a line in CI, and nothing for how it is going", () => {
    const { context, written } = fakeContext(false);
    const steps = stepProgress(context);
    steps.say("evaluating the checks of path:/f");
    steps.update("reading: 1/2");
    steps.done();
    expect(written).toEqual(["nixotel: evaluating the checks of path:/f\n"]);
  });

  it("redraws one line on a terminal and erases it when done", () => {
    const time = fakeTime();
    const { context, written } = fakeContext(true);
    const steps = stepProgress(context, time);
    steps.say("evaluating\x1b[2J");
    time.advance(100);
    steps.update("reading: 1/2");
    steps.done();
    expect(written).toEqual(["\r\x1b[Kevaluating�[2J", "\r\x1b[Kreading: 1/2", "\r\x1b[K"]);
  });
});
