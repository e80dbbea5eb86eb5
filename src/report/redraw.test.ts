// The terminal line is redrawn at most 20 times a second and always ends showing the latest state.
// Time is a fake clock and timers run when the test moves it: nothing here waits or depends on speed.
import { describe, expect, it } from "vitest";
import { fakeTime } from "../../tests/support/fake-time.js";
import { throttledRedraw } from "./redraw.js";

describe("throttledRedraw", () => {
  it("draws the first change at once, then at most one every 50 ms, ending on the last state", () => {
    const time = fakeTime();
    const written: string[] = [];
    const line = throttledRedraw((text) => void written.push(text), time);
    for (let i = 0; i < 1000; i++) {
      line.show(() => `event ${i}`);
      time.advance(1); // 1,000 events a second
    }
    time.advance(50);
    expect(written.length).toBeGreaterThanOrEqual(20);
    expect(written.length).toBeLessThanOrEqual(21); // one second at ≤ 20 a second, plus the first
    expect(written[0]).toBe("\r\x1b[Kevent 0");
    expect(written.at(-1)).toBe("\r\x1b[Kevent 999");
  });

  it("clear erases the line and drops a redraw still waiting", () => {
    const time = fakeTime();
    const written: string[] = [];
    const line = throttledRedraw((text) => void written.push(text), time);
    line.show(() => "first");
    line.show(() => "second");
    expect(time.pending()).toBe(true);
    line.clear();
    time.advance(100);
    expect(written).toEqual(["\r\x1b[Kfirst", "\r\x1b[K"]);
  });
});
