// `nixotel --version` answers without loading the argv parser, and says what the parser would.
import { describe, expect, it } from "vitest";
import { parseArgv } from "./cli/parse.js";
import type { Context } from "./context.js";
import { main } from "./main.js";

describe("main", () => {
  it("prints the version the argv parser would print", async () => {
    let stdout = "";
    const context: Context = {
      cwd: "/",
      env: {},
      stdout: (text) => void (stdout += text),
      stderr: () => undefined,
      interactive: false,
      signal: new AbortController().signal,
    };
    expect(await main(["--version"], context)).toBe(0);
    const parsed = await parseArgv(["--version"]);
    expect(parsed.command === "print" && `${parsed.text.trimEnd()}\n`).toBe(stdout);
  });
});
