import { describe, expect, it } from "vitest";
import { validateConfig } from "./load.js";
import { loadTemplates } from "../render/templates.js";
import { NixotelError } from "../errors.js";

const templates = await loadTemplates();

function problemsOf(raw: unknown): readonly string[] {
  try {
    validateConfig(raw, templates, "nixotel.json");
  } catch (error) {
    expect(error).toBeInstanceOf(NixotelError);
    expect((error as NixotelError).exitCode).toBe(2);
    return (error as NixotelError).problems;
  }
  throw new Error("expected the config to be rejected");
}

describe("validateConfig", () => {
  it("fills defaults", () => {
    const config = validateConfig({ tests: [{ name: "a", template: "minimal" }] }, templates, "nixotel.json");
    expect(config).toMatchObject({ suite: "integration", testsDir: "tests", serviceName: "nixos-integration-tests" });
    expect(config.tests[0]).toMatchObject({ vm: {}, nodes: {}, attributes: {} });
  });

  it("reports every problem at once, each as path: message", () => {
    const problems = problemsOf({
      bogus: 1,
      tests: [
        { name: "../x", template: "minimal" },
        { name: "a;b", template: "minimal", vm: { memory_mb: 10 } },
        { name: "", template: "minimal" },
        { name: "x".repeat(51), template: "minimal", extra: true },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^tests\[0\]\.name: must start with a letter/),
      expect.stringMatching(/^tests\[1\]\.name: must start with a letter/),
      "tests[1].vm.memory_mb: must be at least 256 (MiB)",
      expect.stringMatching(/^tests\[2\]\.name: must not be empty/),
      expect.stringMatching(/^tests\[3\]\.name: must be at most 50 characters/),
      "tests[3].extra: unknown key; remove it or fix its spelling (docs/cli.md lists the keys)",
      "bogus: unknown key; remove it or fix its spelling (docs/cli.md lists the keys)",
    ]);
  });

  it("runs the cross-field rules on the entries that are valid, beside the schema's problems", () => {
    const problems = problemsOf({
      tests: [
        { name: "a;b", template: "nope" },
        { name: "ok", template: "nope2", nodes: { bogus: {} } },
        { name: "ok", template: "minimal", attributes: { "bad key": 1, big: 1e21, small: 1e-7, nul: "x\u0000y" } },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^tests\[0\]\.name: must start with a letter/),
      'tests[2].attributes["bad key"]: this key must be an attribute key such as team or vm.memory_mb',
      "tests[2].attributes.big: must be a whole number within ±2^53, or a decimal written without an exponent",
      "tests[2].attributes.small: must be a whole number within ±2^53, or a decimal written without an exponent",
      "tests[2].attributes.nul: must not contain a NUL character (a Nix string cannot hold one)",
      'tests[1].template: unknown template "nope2"; available: minimal, multi_node, otel_traced',
    ]);
  });

  it("checks what spans fields: duplicates, unknown templates and node names", () => {
    const problems = problemsOf({
      tests: [
        { name: "a", template: "minimal" },
        { name: "a", template: "minimal" },
        { name: "b", template: "nope" },
        { name: "c", template: "multi_node", nodes: { machine: {} } },
      ],
    });
    expect(problems).toEqual([
      'tests[1].name: "a" is already declared by tests[0]; test names must be unique',
      "tests[1]: writes tests/a.nix, as tests[0] does",
      'tests[2].template: unknown template "nope"; available: minimal, multi_node, otel_traced',
      'tests[3].nodes: template multi_node has no node "machine"; its nodes: server, client',
    ]);
  });

  it("keeps folders inside the project", () => {
    const problems = problemsOf({ testsDir: "/etc", tests: [{ name: "a", template: "minimal", dir: "x/../../y" }] });
    expect(problems).toEqual([
      "testsDir: must be relative to the project folder",
      "tests[0].dir: must stay inside the project folder (no ..)",
    ]);
  });

  it("rejects package names that are not nixpkgs attribute paths", () => {
    const problems = problemsOf({
      tests: [{ name: "a", template: "minimal", nodes: { machine: { packages: ["ok.path", "bad path", "${x}"] } } }],
    });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^tests\[0\]\.nodes\.machine\.packages\[1\]: must be a nixpkgs attribute path/);
  });

  it("refuses __proto__, constructor and prototype keys anywhere, each as path: message", () => {
    const raw: unknown = JSON.parse(
      '{"__proto__":{"x":1},"tests":[{"name":"a","template":"minimal","nodes":{"__proto__":{"packages":["x"]}},"attributes":{"__proto__":"x","constructor":"y"},"vm":{"prototype":1}}]}',
    );
    const why = (key: string) =>
      `expected a key other than __proto__, constructor or prototype (JavaScript reserves them), got "${key}"; rename or remove it`;
    expect(problemsOf(raw)).toEqual([
      `__proto__: ${why("__proto__")}`,
      `tests[0].nodes.__proto__: ${why("__proto__")}`,
      `tests[0].attributes.__proto__: ${why("__proto__")}`,
      `tests[0].attributes.constructor: ${why("constructor")}`,
      `tests[0].vm.prototype: ${why("prototype")}`,
    ]);
  });

  it("names an unknown defaultTemplate beside every other problem", () => {
    expect(problemsOf({ defaultTemplate: "nope", tests: [{ name: "a", template: "minimal", vm: { cores: "x" } }] })).toEqual([
      'tests[0].vm.cores: expected a number, got "x"; write a number here',
      'defaultTemplate: unknown template "nope"; available: minimal, multi_node, otel_traced',
    ]);
  });

  it("says what was expected, what came and what to do, never zod's bare wording", () => {
    const problems = [
      { tests: [{ template: "minimal" }] },
      {
        suite: 5,
        testsDir: null,
        serviceName: "",
        tests: [{ name: "a", template: "minimal", attributes: { k: null }, nodes: { machine: [] } }],
      },
      [1],
      null,
      { defaultTemplate: 3, tests: {} },
    ].flatMap(problemsOf);
    expect(problems).toEqual([
      "tests[0].name: expected a string, got nothing; add it",
      "suite: expected a string, got 5 (a number); write a string here",
      'serviceName: expected at least 1 character(s), got ""; make it longer or larger',
      "testsDir: expected a string, got null; write a string here",
      "tests[0].nodes.machine: expected an object {…}, got a list […]; write an object {…} here",
      "tests[0].attributes.k: expected a string, a number or a boolean (true or false), got null; write one of those here",
      "(root): expected an object {…}, got a list […]; write an object {…} here",
      "(root): expected an object {…}, got null; write an object {…} here",
      "defaultTemplate: expected a string, got 3 (a number); write a string here",
      "tests: expected a list […], got an object {…}; write a list […] here",
    ]);
    for (const problem of problems) expect(problem).not.toMatch(/Invalid input|received/);
  });
});
