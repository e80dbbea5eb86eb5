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
