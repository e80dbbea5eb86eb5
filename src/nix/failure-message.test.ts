import { expect, test } from "vitest";
import { builderFailedIn } from "./failure-message.js";

const drv = "/nix/store/zxya69a798pfyvifjx77x3fzplnxfsic-bad.drv";

test("Nix 2.8's builder failures name the derivation (text as Nix 2.8.0 printed it here, ANSI stripped)", () => {
  expect(builderFailedIn(`error: builder for '${drv}' failed with exit code 1`)).toBe(drv);
  expect(builderFailedIn(`builder for '${drv}' failed due to signal 9 (Killed)`)).toBe(drv);
  expect(builderFailedIn(`error: builder for '${drv}' failed with exit code 1;\n       last 2 log lines:\n       > x`)).toBe(drv);
});

test("current Nix's `Cannot build` names the derivation only when its builder failed", () => {
  expect(
    builderFailedIn(`error: Cannot build '${drv}'.\nReason: builder failed with exit code 1.\nOutput paths:\n  /nix/store/x-bad`),
  ).toBe(drv);
  expect(builderFailedIn(`error: Cannot build '${drv}'.\nReason: 1 dependency failed.`)).toBeUndefined();
  expect(builderFailedIn(`error: Cannot build '${drv}'.\nReason: required system or feature not available`)).toBeUndefined();
});

test("dependency failures, the final summary and a quoted line in a log tail are not a builder's failure", () => {
  expect(builderFailedIn(`error: 1 dependencies of derivation '${drv}' failed to build`)).toBeUndefined();
  expect(builderFailedIn(`error: build of '${drv}' failed`)).toBeUndefined();
  expect(builderFailedIn(`error: build of '${drv}', '/nix/store/a-b.drv' failed`)).toBeUndefined();
  expect(builderFailedIn(`error: hash mismatch\n> builder for '${drv}' failed with exit code 1`)).toBeUndefined();
});
