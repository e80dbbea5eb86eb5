// Which of several running builds ended when nix's failed counter rises: the one whose driver said so.
import { describe, expect, it } from "vitest";
import { ActivityType, ResultType, type NixEvent } from "./activity.js";
import { BuildTracker } from "./builds.js";

const logLine = (id: number, text: string): NixEvent => ({ action: "result", id, type: ResultType.BuildLogLine, fields: [text] });
const progress = (done: number, failed: number): NixEvent => ({
  action: "result",
  id: 1,
  type: ResultType.Progress,
  fields: [done, 2, 2 - done - failed, failed],
});

function twoBuilds() {
  let tick = 0n;
  const tracker = new BuildTracker({}, () => (tick += 1n));
  tracker.handle({ action: "start", id: 1, type: ActivityType.Builds, text: "", parent: 0, fields: [] });
  tracker.handle({ action: "start", id: 2, type: ActivityType.Build, text: "", parent: 1, fields: ["/nix/store/a-test-a.drv", ""] });
  tracker.handle({ action: "start", id: 3, type: ActivityType.Build, text: "", parent: 1, fields: ["/nix/store/b-test-b.drv", ""] });
  return tracker;
}

describe("BuildTracker", () => {
  it("fails the build whose driver printed its verdict, though another build spoke last", () => {
    const tracker = twoBuilds();
    tracker.handle(logLine(2, 'vm-test-run-a> \x1b[31m!!! Test "a" failed with error: "boom"\x1b[0m'));
    tracker.handle(logLine(3, "subtest: still going"));
    tracker.handle(progress(0, 1));
    const [a, b] = tracker.builds;
    expect([a?.failed, a?.endNs !== undefined]).toEqual([true, true]);
    expect([b?.failed, b?.endNs]).toEqual([false, undefined]);
  });

  it("without a verdict, ends the build heard from last", () => {
    const tracker = twoBuilds();
    tracker.handle(logLine(2, "subtest: first"));
    tracker.handle(logLine(3, "subtest: second"));
    tracker.handle(progress(0, 1));
    expect(tracker.builds.map((b) => b.failed)).toEqual([false, true]);
  });
});

describe("BuildTracker with 5,000 builds open at once (Nix 2.8 keeps them open to the end)", () => {
  const COUNT = 5_000;
  const drv = (i: number) => `/nix/store/${String(i).padStart(32, "0")}-test-${i}.drv`;

  it("ends each build when the counters say so, the one heard from last, failing the ones whose driver said so", () => {
    let tick = 0n;
    const finished: string[] = [];
    const tracker = new BuildTracker({ finished: (b) => void finished.push(b.drvPath) }, () => (tick += 1n));
    tracker.handle({ action: "start", id: 1, type: ActivityType.Builds, text: "", parent: 0, fields: [] });
    for (let i = 0; i < COUNT; i++) {
      tracker.handle({ action: "start", id: 10 + i, type: ActivityType.Build, text: "", parent: 1, fields: [drv(i), ""] });
      tracker.handle(logLine(10 + i, "subtest: boots"));
    }
    // Builds end in an order unlike their start: each speaks last, then the counters move; every
    // seventh prints the driver's verdict of a failed test first, and the counter of failures rises.
    const order = Array.from({ length: COUNT }, (_, i) => (i * 7919) % COUNT);
    let done = 0;
    let failed = 0;
    for (const i of order) {
      const fails = i % 7 === 0;
      tracker.handle(logLine(10 + i, fails ? `!!! Test "t${i}" failed with error: "boom"` : "machine: must succeed: true"));
      if (fails) failed += 1;
      else done += 1;
      tracker.handle({ action: "result", id: 1, type: ResultType.Progress, fields: [done, COUNT, COUNT - done - failed, failed] });
    }
    expect(finished).toEqual(order.map(drv));
    expect(tracker.builds.filter((b) => b.failed).map((b) => b.drvPath)).toEqual(
      Array.from({ length: COUNT }, (_, i) => i)
        .filter((i) => i % 7 === 0)
        .map(drv),
    );
    expect(tracker.builds.every((b) => b.completed && b.endNs !== undefined && b.lines.length === 2)).toBe(true);
  });

  it("marks every build named in nix's failure messages, however many there are", () => {
    const tracker = new BuildTracker({}, () => 0n);
    for (let i = 0; i < COUNT; i++)
      tracker.handle({ action: "start", id: 10 + i, type: ActivityType.Build, text: "", parent: 0, fields: [drv(i), ""] });
    for (let i = 0; i < COUNT; i += 2)
      tracker.handle({ action: "msg", level: 0, msg: `error: builder for '${drv(i)}' failed with exit code 1` });
    expect(tracker.builds.filter((b) => b.failed)).toHaveLength(COUNT / 2);
    expect(tracker.errors).toHaveLength(COUNT / 2);
  });
});
