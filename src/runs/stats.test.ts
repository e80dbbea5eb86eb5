import { describe, expect, it } from "vitest";
import { distributionOf, quantile, wilsonInterval } from "./stats.js";

describe("pass-rate interval and durations", () => {
  // Published 95% Wilson intervals (e.g. Newcombe 1998, Table I: 0/10, 9/10, 10/10).
  it("gives Wilson's score interval at 95%", () => {
    expect(wilsonInterval(0, 10)).toEqual({ level: 0.95, low: 0, high: 0.2775 });
    expect(wilsonInterval(9, 10)).toEqual({ level: 0.95, low: 0.5958, high: 0.9821 });
    expect(wilsonInterval(10, 10)).toEqual({ level: 0.95, low: 0.7225, high: 1 });
    expect(wilsonInterval(0, 0)).toEqual({ level: 0.95, low: 0, high: 1 });
  });

  it("summarises durations by nearest rank", () => {
    expect(distributionOf([])).toBeNull();
    expect(distributionOf([30, 10, 20, 40])).toEqual({ minMs: 10, medianMs: 20, p95Ms: 40, maxMs: 40 });
    expect(quantile([5], 0.95)).toBe(5);
  });
});
