// Where a check's test lives, for annotations: `<testsDir>/<name>.nix` in the flake's folder (the
// convention of nixotel.lib.discoverTests and `nixotel new`), the line of its testScript and the line
// of each `subtest("…")`. Paths are relative to the CI's checkout ($GITHUB_WORKSPACE), else the cwd.
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { z } from "zod";
import { testFilePath } from "../config/paths.js";
import { CONFIG_FILE } from "../config/schema.js";
import { isErrno } from "../files.js";
import type { CheckRecord } from "../runs/record.js";

export interface TestLocation {
  /** Relative to the checkout, forward slashes. */
  file: string;
  /** The testScript's line, when the file has one. */
  line?: number;
  /** The file's line holding the testScript's first line (the one after its opening `''`). */
  scriptStart?: number;
  /** A subtest's line, by the name written in `subtest("NAME")`. */
  subtests: Record<string, number>;
}

// Only where test files are: nixotel.json is validated in full by the commands that own it.
const Layout = z.object({
  testsDir: z.string().default("tests"),
  tests: z.array(z.object({ name: z.string(), dir: z.string().optional() })).default([]),
});

async function textOf(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR", "EISDIR")) return undefined;
    throw error;
  }
}

async function layoutOf(flakeDir: string): Promise<z.infer<typeof Layout>> {
  const text = await textOf(join(flakeDir, CONFIG_FILE));
  let raw: unknown = {};
  try {
    raw = text === undefined ? {} : JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error; // a broken nixotel.json: the default layout
  }
  const parsed = Layout.safeParse(raw);
  return parsed.success ? parsed.data : Layout.parse({});
}

const SUBTEST = /\bsubtest\(\s*(?:r?"((?:[^"\\]|\\.)*)"|r?'((?:[^'\\]|\\.)*)')/;

/** The testScript's line, where its text starts and each subtest's line in a test file's text (1-based). */
export function linesOf(text: string): Pick<TestLocation, "line" | "scriptStart" | "subtests"> {
  const subtests: Record<string, number> = {};
  let line: number | undefined;
  let scriptStart: number | undefined;
  text.split("\n").forEach((content, index) => {
    if (line === undefined && /\btestScript\b/.test(content)) line = index + 1;
    // The indented string opening the script (`testScript = ''` or `} ''` after tracedTestScript's arguments).
    if (line !== undefined && scriptStart === undefined && /''\s*$/.test(content)) scriptStart = index + 2;
    const match = SUBTEST.exec(content);
    const name = match?.[1] ?? match?.[2];
    if (name !== undefined && !(name in subtests)) subtests[name] = index + 1;
  });
  return { ...(line !== undefined ? { line } : {}), ...(scriptStart !== undefined ? { scriptStart } : {}), subtests };
}

/** Each check's test file found in `flakeDir`, by check name; checks without one are left out. */
export async function testLocations(checks: readonly CheckRecord[], flakeDir: string, base: string): Promise<Map<string, TestLocation>> {
  const layout = await layoutOf(flakeDir);
  const found = new Map<string, TestLocation>();
  // Only names a file can have (no folder, no `..`): a check's name never leads elsewhere.
  for (const check of checks.filter((c) => /^[\w.-]+$/.test(c.name) && !c.name.startsWith("."))) {
    const entry = layout.tests.find((t) => t.name === check.name) ?? { name: check.name };
    const path = join(flakeDir, testFilePath(layout, entry));
    const text = await textOf(path);
    if (text !== undefined) found.set(check.name, { file: relative(base, path).split("\\").join("/"), ...linesOf(text) });
  }
  return found;
}
