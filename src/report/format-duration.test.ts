import { expect, test } from "vitest";
import { formatDuration } from "./summary-text.js";

test("a duration is shown in the unit that fits it after rounding", () => {
  expect(formatDuration(250)).toBe("250ms");
  expect(formatDuration(999.4)).toBe("999ms");
  // A driver's "in 1.00 seconds" that arrives as 999.6 ms is one second, not "1000ms".
  expect(formatDuration(999.6)).toBe("1.0s");
  expect(formatDuration(59_940)).toBe("59.9s");
  expect(formatDuration(59_960)).toBe("1m 00s");
  expect(formatDuration(3_599_600)).toBe("1h 00m");
});
