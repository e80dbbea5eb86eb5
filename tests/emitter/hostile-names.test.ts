// No name, however hostile, injects shell or JSON: every string round-trips byte for byte, and the body
// is always strict JSON in valid UTF-8 (what a Go collector insists on).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attr, startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const CONTROLS = [...Array.from({ length: 31 }, (_, i) => i + 1), 0x7f].map((code) => String.fromCharCode(code));

/** Emits NAME (with SUITE and an attribute KEY=VALUE all hostile) and checks everything came back intact. */
async function expectRoundTrip(name: string): Promise<void> {
  const key = name.replaceAll("=", "_"); // the first `=` of KEY=VALUE ends the key
  // A deadline far beyond any load: this is about bytes, the deadline has its own tests.
  const result = await h.emit(["--suite", name, "--attr-string", `${key}=${name}`, "--", name, "passed"], {
    OTEL_EXPORTER_OTLP_TIMEOUT: "60000",
  });
  expect(result).toMatchObject({ exitCode: 0, stderr: "" });
  const body = h.receiver.requests[0]!.body;
  const text = strictUtf8.decode(body); // throws on invalid UTF-8
  expect(text.slice(0, -1)).not.toMatch(/[\u0000-\u001f\u007f]/); // every control character escaped; one line
  const span = h.onlySpan();
  expect(span.name).toBe(`test.${name}.${name}`);
  expect(attr(span.attributes, "test.case.name")).toEqual({ stringValue: name });
  expect(attr(span.attributes, "test.name")).toEqual({ stringValue: name });
  expect(attr(span.attributes, "test.suite.name")).toEqual({ stringValue: name });
  expect(attr(span.attributes, key)).toEqual({ stringValue: name });
  expect(Buffer.from(name, "utf8").equals(Buffer.from(attr(span.attributes, "test.case.name")!.stringValue!, "utf8"))).toBe(true);
  expect(text.endsWith("\n")).toBe(true);
  expect(await h.spoolLines()).toEqual([text.slice(0, -1)]);
}

describe("hostile names round-trip byte for byte", () => {
  it.each(CONTROLS.map((c) => [c.charCodeAt(0).toString(16).padStart(2, "0"), c]))("control character 0x%s", async (_hex, c) => {
    await expectRoundTrip(`a${c}b${c}`);
  });

  it("every control character at once, with quotes and backslashes around them", async () => {
    await expectRoundTrip(`"${CONTROLS.join("\\")}\\"\\\\u0041\\n'`);
  });

  it("command substitution and backticks are data, never run", async () => {
    const pwned = join(h.dir, "pwned");
    await expectRoundTrip(`$(touch ${pwned})\`touch ${pwned}2\`\${HOME}$HOME;touch ${pwned}3`);
    expect([existsSync(pwned), existsSync(`${pwned}2`), existsSync(`${pwned}3`)]).toEqual([false, false, false]);
  });

  it("JSON-looking text cannot close the string or add keys", async () => {
    await expectRoundTrip(`","key":"x"},{"evil":1}]}\\u0022`);
  });

  it("characters that bash patterns and printf treat specially", async () => {
    await expectRoundTrip("& \\& * ? [a-z] %s %q %b \\x41 ~ ! # {a,b} ' \\' |;<>");
  });

  it("unicode: accents, CJK, emoji, ZWJ sequences, U+2028/U+2029, BOM, U+FFFD itself", async () => {
    await expectRoundTrip("café 日本語 😀 👩‍👩‍👧 \u2028 \u2029 \ufeff \ufffd \u{10ffff}");
  });

  it.each(["--help", "-x", "--", "-", "--suite=x", "--strict"])("a NAME like %s after --", async (name) => {
    await expectRoundTrip(name);
  });

  it("a long name (40 KB, escaped for JSON and for curl's config) goes through curl's stdin", async () => {
    await expectRoundTrip('é"\\\n'.repeat(8 * 1024)); // 40 KB: twice on argv stays under Linux's 128 KiB per argument
  });
});

describe("invalid UTF-8 (bytes Node cannot put on argv, so bash passes them)", () => {
  it.each([
    ["a lone 0xff", "a\\xffb", "a\ufffdb"],
    ["an overlong slash", "\\xc0\\xaf/", "\ufffd\ufffd/"],
    ["a UTF-16 surrogate", "\\xed\\xa0\\x80z", "\ufffd\ufffd\ufffdz"],
    ["a truncated euro sign before a valid one", "\\xe2\\x82\\xe2\\x82\\xac", "\ufffd\ufffd€"],
    ["a code point above U+10FFFF", "\\xf4\\x90\\x80\\x80", "\ufffd\ufffd\ufffd\ufffd"],
  ])("%s: each bad byte becomes U+FFFD, with a warning, exit 0", async (_why, bytes, expected) => {
    const result = await h.emitViaBash(`name=$(printf '${bytes}'); exec "$0" --attr "k=$name" -- "$name" passed`);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain("replaced bytes that are not UTF-8 with U+FFFD");
    const text = strictUtf8.decode(h.receiver.requests[0]!.body);
    expect(await h.spoolLines()).toEqual([text.slice(0, -1)]);
    const span = h.onlySpan();
    expect(span.name).toBe(`test.${expected}`);
    expect(attr(span.attributes, "k")).toEqual({ stringValue: expected });
  });
});
