// Each kind of problem carries its stable code, and every NixotelError leaves main() with exit 2 and
// its message and problems on stderr.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgv } from "./cli/parse.js";
import { NixotelError, formatError } from "./errors.js";
import { exporterSettings } from "./export/config.js";
import { readIfExists } from "./files.js";
import { main } from "./main.js";

const thrownBy = async (action: () => unknown): Promise<NixotelError> => {
  try {
    await action();
  } catch (error) {
    if (error instanceof NixotelError) return error;
    throw error;
  }
  throw new Error("expected a NixotelError");
};

describe("error codes", () => {
  it("USAGE for a command line nixotel does not know", async () => {
    expect((await thrownBy(() => parseArgv(["bogus"]))).code).toBe("USAGE");
  });
  it("CONFIG for a bad OTEL_* setting", async () => {
    expect(
      (await thrownBy(() => exporterSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://x", OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }))).code,
    ).toBe("CONFIG");
  });
  it("ENVIRONMENT for a file nixotel cannot read", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nixotel-errors-"));
    try {
      const error = await thrownBy(() => readIfExists(dir)); // a folder: EISDIR
      expect([error.code, error.exitCode]).toEqual(["ENVIRONMENT", 2]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("main", () => {
  it("turns a NixotelError into exit 2 with the message and one problem a line", async () => {
    let stderr = "";
    const context = {
      cwd: tmpdir(),
      env: {},
      stdout: () => undefined,
      stderr: (text: string) => void (stderr += text),
      interactive: false,
      signal: new AbortController().signal,
    };
    expect(await main(["bogus"], context)).toBe(2);
    expect(stderr).toMatch(/^nixotel: .+\n/);
    const error = new NixotelError("CONFIG", "nixotel.json is not valid.", { problems: ["tests.a: required", "tests.b: unknown key"] });
    expect(formatError(error)).toBe("nixotel: nixotel.json is not valid.\n  - tests.a: required\n  - tests.b: unknown key");
  });
});
