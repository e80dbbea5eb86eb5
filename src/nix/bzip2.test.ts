// The bzip2 decoder against the real bzip2: what `bzip2` compresses comes back byte for byte.
import { randomBytes } from "node:crypto";
import { execaSync } from "execa";
import { describe, expect, it } from "vitest";
import { Bzip2Error, bunzip2Text } from "./bzip2.js";

const compress = (text: string, level = 9) =>
  execaSync("bzip2", [`-${level}`, "-c"], { input: Buffer.from(text), encoding: "buffer", stripFinalNewline: false }).stdout;

const logLike = (lines: number) =>
  Array.from({ length: lines }, (_, i) => `vm-test-run-web> machine # [ ${i}.0] line ${i} ${"é✓".repeat(i % 5)}\n`).join("");

describe("bunzip2Text", () => {
  it.each([
    ["empty", ""],
    ["one byte", "x"],
    ["a build log", logLike(2_000)],
    [
      "runs of one byte (bzip2's run-length steps)",
      `${"a".repeat(3)}b${"c".repeat(4)}d${"e".repeat(5)}${"f".repeat(300)}${"g".repeat(70_000)}`,
    ],
    ["random text", randomBytes(50_000).toString("base64")],
    ["every byte value", Buffer.from(Array.from({ length: 5_000 }, (_, i) => (i * 7) % 256)).toString("latin1")],
  ])("decodes %s", (_name, text) => {
    expect(bunzip2Text(compress(text))).toBe(Buffer.from(text).toString("utf8"));
  });

  it("decodes several blocks (level 1: 100k per block) and streams one after another", () => {
    const text = logLike(6_000); // ~480 kB: five blocks
    expect(bunzip2Text(compress(text, 1))).toBe(text);
    expect(bunzip2Text(Buffer.concat([compress("first\n"), compress("second\n")]))).toBe("first\nsecond\n");
  });

  it("refuses data that is not bzip2, cut short or corrupted", () => {
    expect(() => bunzip2Text(Buffer.from("plain text log\n"))).toThrow(Bzip2Error);
    const whole = compress(logLike(200));
    expect(() => bunzip2Text(whole.subarray(0, whole.length - 10))).toThrow(Bzip2Error);
    const flipped = Buffer.from(whole);
    flipped[flipped.length >> 1]! ^= 0x10;
    expect(() => bunzip2Text(flipped)).toThrow(Bzip2Error);
  });
});
