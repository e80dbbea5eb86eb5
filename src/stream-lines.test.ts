// A child's output split into lines by nixotel (not by execa): lines cut across chunks, CRLF, a last
// line without its newline, and when each chunk arrived.
import { PassThrough } from "node:stream";
import { expect, it } from "vitest";
import { splitLines } from "./stream-lines.js";

it("joins lines cut across chunks, drops \\r before \\n, keeps an unterminated last line, and marks each chunk", async () => {
  const stream = new PassThrough();
  const events: string[] = [];
  const done = splitLines(
    stream,
    (line) => events.push(`line ${JSON.stringify(line)}`),
    () => events.push("chunk"),
  );
  stream.write('@nix {"a":');
  stream.write("1}\r\nplain\n\nsnow ☃");
  stream.write(Buffer.from("☃").subarray(0, 2)); // a character cut between two chunks
  stream.write(Buffer.from("☃").subarray(2));
  stream.end(" last");
  await done;
  expect(events.filter((e) => e !== "chunk")).toEqual(['line "@nix {\\"a\\":1}"', 'line "plain"', 'line ""', 'line "snow ☃☃ last"']);
  expect(events.filter((e) => e === "chunk").length).toBeGreaterThanOrEqual(3);
  expect(events[0]).toBe("chunk"); // a chunk is announced before its lines
});

it("ends when the stream is destroyed without an end (the child was killed)", async () => {
  const stream = new PassThrough();
  const lines: string[] = [];
  const done = splitLines(stream, (line) => lines.push(line));
  stream.write("half a line");
  await new Promise((resolve) => setImmediate(resolve));
  stream.destroy();
  await done;
  expect(lines).toEqual(["half a line"]);
});
