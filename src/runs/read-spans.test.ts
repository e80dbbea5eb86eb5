// A run file's lines are whole or absent: a last line cut short (nixotel killed while appending) is
// dropped, anything else that does not parse is still an error.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { NixotelError } from "../errors.js";
import { readRunSpans } from "./read-spans.js";

const FIXTURE = join(import.meta.dirname, "..", "..", "tests", "fixtures", "runs", "mixed", "spans.jsonl");
let dir: string;
let whole: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "nixotel-torn-"));
  whole = (await readFile(FIXTURE, "utf8")).trim();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it("drops a last line cut short, keeping the lines before it", async () => {
  const file = join(dir, "torn.jsonl");
  await writeFile(file, `${whole}\n${whole.slice(0, whole.length / 2)}`);
  const all = await readRunSpans(FIXTURE);
  expect(await readRunSpans(file)).toEqual(all);
});

it("keeps a whole last line without its newline, and still refuses a broken line before the end", async () => {
  const file = join(dir, "no-newline.jsonl");
  await writeFile(file, `${whole}\n${whole}`);
  expect(await readRunSpans(file)).toHaveLength(2 * (await readRunSpans(FIXTURE))!.length);
  const broken = join(dir, "broken.jsonl");
  await writeFile(broken, `${whole.slice(0, 20)}\n${whole}\n`);
  await expect(readRunSpans(broken)).rejects.toBeInstanceOf(NixotelError);
});
