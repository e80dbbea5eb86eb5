// Invalid UTF-8 is repaired in one linear pass over 256-byte pieces: each byte that is not part of a
// well-formed character becomes U+FFFD, the same as a byte-at-a-time reference decoder, wherever a
// piece boundary falls (a character cut by one is carried to the next piece).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attr, startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

/** Bytes of the well-formed character starting at `i` (RFC 3629 table 3-7), or 0. */
function charLength(b: Uint8Array, i: number): number {
  const c = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  const b0 = b[i]!;
  if (b0 >= 0x01 && b0 <= 0x7f) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return c(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) return c(1, b0 === 0xe0 ? 0xa0 : 0x80, b0 === 0xed ? 0x9f : 0xbf) && c(2) ? 3 : 0;
  if (b0 >= 0xf0 && b0 <= 0xf4) return c(1, b0 === 0xf0 ? 0x90 : 0x80, b0 === 0xf4 ? 0x8f : 0xbf) && c(2) && c(3) ? 4 : 0;
  return 0;
}

/** The reference: every byte outside a well-formed character is one U+FFFD. */
function repairedPerByte(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length;) {
    const n = charLength(bytes, i);
    out += n ? Buffer.from(bytes.subarray(i, i + n)).toString("utf8") : "\ufffd";
    i += n || 1;
  }
  return out;
}

/** A deterministic generator (mulberry32), so a failure names a case that can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PARTS = ["a", "é", "日", "😀", "\u{10ffff}", "\\", '"', "\n"].map((s) => [...Buffer.from(s)]);
const BAD = [[0xff], [0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x9f], [0xe2]];

function hostileBytes(next: () => number, length: number): Uint8Array {
  const bytes: number[] = [];
  while (bytes.length < length) bytes.push(...(next() < 0.7 ? PARTS : BAD)[Math.floor(next() * 8)]!);
  return Uint8Array.from(bytes);
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => `\\x${b.toString(16).padStart(2, "0")}`).join("");

describe("the repair matches a byte-at-a-time reference", () => {
  it("on 12 random mixes of 600-1,200 bytes, across 256-byte piece boundaries, as names and attributes", async () => {
    const next = random(12);
    const cases = Array.from({ length: 12 }, () => hostileBytes(next, 600 + Math.floor(next() * 600)));
    const script = cases.map((bytes, i) => `v${i}=$(printf '${hex(bytes)}_')`).join("\n");
    const args = cases.map((_, i) => `--attr-string "k${i}=\${v${i}%_}"`).join(" "); // `_` keeps a trailing newline
    const result = await h.emitViaBash(`${script}\nexec "$0" ${args} -- "\${v0%_}" passed`, { OTEL_EXPORTER_OTLP_TIMEOUT: "60000" });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("replaced bytes that are not UTF-8 with U+FFFD");
    const span = h.onlySpan();
    expect(span.name).toBe(`test.${repairedPerByte(cases[0]!)}`);
    cases.forEach((bytes, i) => expect(attr(span.attributes, `k${i}`)?.stringValue, `case ${i}`).toBe(repairedPerByte(bytes)));
  }, 120_000);

  it.each([1, 2, 3])("a character cut %i byte(s) before a piece boundary is kept whole", async (before) => {
    // 256 - before ASCII bytes, then a 4-byte character that straddles the boundary, then a truncated one.
    const name = `${"a".repeat(256 - before)}😀${"b".repeat(300)}`;
    const bytes = Uint8Array.from([...Buffer.from(name), 0xf0, 0x9f]);
    const result = await h.emitViaBash(`exec "$0" -- "$(printf '${hex(bytes)}')" passed`);
    expect(result.exitCode).toBe(0);
    expect(h.onlySpan().name).toBe(`test.${name}\ufffd\ufffd`);
  });

  it("a 20 KB name of invalid UTF-8 is repaired and delivered (24 s before, quadratic)", async () => {
    const result = await h.emitViaBash(`exec "$0" --strict -- "$(printf '\\xff\\xe2A%.0s' {1..6800})" passed`, {
      OTEL_EXPORTER_OTLP_TIMEOUT: "60000", // correctness here; the deadline has its own tests
    });
    expect(result.exitCode).toBe(0);
    expect(h.onlySpan().name).toBe(`test.${"\ufffd\ufffdA".repeat(6800)}`);
  }, 120_000);
});
