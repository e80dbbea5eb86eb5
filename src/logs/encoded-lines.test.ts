// Each line's own part of its record, encoded as it arrives: the same bytes whether the lines come one
// by one (as nix prints them) or all at once (a stored log), bodies that JSON must escape, and lines
// longer than a block.
import { describe, expect, it } from "vitest";
import { Writer } from "../export/otlp-protobuf.js";
import { EncodedLines, encodedLinesOf } from "./encoded-lines.js";

const line = (i: number, text: string) => ({ timeNs: 1_796_002_850_000_000_000n + BigInt(i) * 1_000_000n, text });

/** Line i's JSON as text, closed into an object so it parses. */
function jsonOf(lines: EncodedLines, i: number): string {
  const buffer = Buffer.alloc(lines.jsonSize(i));
  lines.copyJson(i, buffer, 0);
  return buffer.toString("utf8");
}

const EDGE_BODIES = [
  "plain",
  'a "quoted" word',
  "back\\slash",
  "tab\there, bell \x07, escape gone",
  "ünïcödé and 😀 (a surrogate pair)",
  "lone \ud800 surrogate",
  "", // an empty line
  "x".repeat(1_500_000), // longer than a block
  "after the long one",
];

describe("EncodedLines", () => {
  it("encodes lines fed one at a time exactly as lines taken all at once", () => {
    const texts = ["\x1b[1;32msubtest: boot\x1b[0m", "web: must succeed: true", '@nixotel-otlp {"resourceSpans":[]}', ...EDGE_BODIES];
    const all = texts.map((text, i) => line(i, text));
    const growing: typeof all = [];
    const live = new EncodedLines();
    for (const next of all) {
      growing.push(next);
      live.consume(growing);
    }
    const atOnce = new EncodedLines().consume(all);
    expect(live.length).toBe(texts.length - 1); // spans in transit are not log lines
    expect(atOnce.length).toBe(live.length);
    for (let i = 0; i < live.length; i++) expect(jsonOf(live, i)).toBe(jsonOf(atOnce, i));
  });

  it("writes each body as JSON that reads back to it, and hands protobuf the body's UTF-8", () => {
    const lines = new EncodedLines();
    EDGE_BODIES.forEach((body, i) => lines.add(BigInt(i), body, body, i % 2 ? "WARN" : "INFO"));
    EDGE_BODIES.forEach((body, i) => {
      const record = JSON.parse(`${jsonOf(lines, i)}}}`) as { timeUnixNano: string; severityText: string; body: { stringValue: string } };
      expect(record.body.stringValue).toBe(body);
      expect(record.timeUnixNano).toBe(String(i));
      expect(record.severityText).toBe(i % 2 ? "WARN" : "INFO");
      // protobuf carries UTF-8: a lone surrogate becomes U+FFFD, as in any protobuf encoder.
      const w = new Writer();
      lines.writeBody(i, w);
      expect(w.finish().length).toBe(lines.bodySize(i));
      expect(Buffer.from(w.finish()).toString("utf8")).toBe(Buffer.from(body, "utf8").toString("utf8"));
    });
  });

  it("keeps a build's encoding with its lines array, catching up with lines added since", () => {
    const lines = [line(0, "first")];
    const encoded = encodedLinesOf(lines);
    lines.push(line(1, "second"));
    expect(encodedLinesOf(lines)).toBe(encoded);
    expect(encoded.bodies).toEqual(["first", "second"]);
    expect(encodedLinesOf([...lines]) === encoded).toBe(false); // another build's lines: another encoding
  });
});
