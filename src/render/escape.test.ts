// Each escaper is checked by the real reader of its language: nix, python3 and sh read the literal back.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { nixAttrName, nixIndented, nixString, nixValue, pythonString, shellWord } from "./escape.js";

const controls = Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).join("") + "\x7f";
const hostile = [
  "plain",
  'quote " and \\ backslash',
  '${builtins.abort "x"}',
  "$${x} and ''${y} and '' and '''",
  "'${x} '''${y} ends with '",
  "$(touch /tmp/pwned) `id` ; rm -rf / && echo",
  "line\nbreak\r\ttab",
  controls.slice(1), // nix strings cannot hold NUL
  "unicode é ü 中文 🚀 \u2028 \u2029 \ufeff",
  "--help",
  "",
];

const nixEval = (expr: string) =>
  JSON.parse(execFileSync("nix-instantiate", ["--eval", "--strict", "--json", "-E", expr], { encoding: "utf8" })) as unknown;

describe("nixString", () => {
  it("round-trips hostile strings through nix", () => {
    const expr = `[ ${hostile.map(nixString).join(" ")} ]`;
    expect(nixEval(expr)).toEqual(hostile);
  });
});

describe("nixIndented", () => {
  it("round-trips text placed inside an indented string", () => {
    const texts = hostile.filter((text) => !/[\r\t\x00-\x08\x0b-\x1f]/.test(text) && !text.includes("\n"));
    for (const text of texts) expect(nixEval(`''${nixIndented(text)}''`)).toBe(text);
  });
});

describe("nixAttrName", () => {
  it("keeps identifiers bare and quotes everything else", () => {
    expect(nixAttrName("team")).toBe("team");
    expect(nixAttrName("foo-bar")).toBe("foo-bar");
    expect(nixAttrName("vm.memory_mb")).toBe('"vm.memory_mb"');
    expect(nixAttrName("in")).toBe('"in"');
  });
  it("gives names nix reads back as written", () => {
    const names = ["team", "vm.memory_mb", "in", "a b", '"quoted"', "${x}"];
    const expr = `builtins.attrNames { ${names.map((name, index) => `${nixAttrName(name)} = ${index};`).join(" ")} }`;
    expect(nixEval(expr)).toEqual([...names].sort());
  });
});

describe("nixValue", () => {
  it("writes only numbers nix reads back exactly", () => {
    expect(nixEval(`[ ${[0.5, -3.25, 9007199254740991, -42].map(nixValue).join(" ")} ]`)).toEqual([0.5, -3.25, 9007199254740991, -42]);
    for (const bad of [1e-7, 1e21, 2 ** 60, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => nixValue(bad)).toThrow(TypeError);
  });

  it("writes strings, integers, floats and booleans as nix literals", () => {
    expect(nixEval(`[ ${[nixValue("x"), nixValue(42), nixValue(1.5), nixValue(true), nixValue(false)].join(" ")} ]`)).toEqual([
      "x",
      42,
      1.5,
      true,
      false,
    ]);
  });
});

describe("pythonString", () => {
  it("round-trips hostile strings through python's parser", () => {
    const withNul = [...hostile, "nul\0byte", "\ud83d\ude80 astral"];
    const program = `import ast, json, sys\nprint(json.dumps([ast.literal_eval(line) for line in sys.stdin.read().splitlines()]))`;
    const out = execFileSync("python3", ["-c", program], { input: withNul.map(pythonString).join("\n"), encoding: "utf8" });
    expect(JSON.parse(out)).toEqual(withNul);
  });
  it("uses only printable ASCII", () => {
    for (const text of hostile) expect(pythonString(text)).toMatch(/^[\x20-\x7e]*$/);
  });
});

describe("shellWord", () => {
  it("round-trips hostile words through sh", () => {
    const words = hostile.filter((word) => !word.includes("\0"));
    for (const word of words) {
      const out = execFileSync("sh", ["-c", `printf %s ${shellWord(word)}`], { encoding: "utf8" });
      expect(out).toBe(word);
    }
  });
  it("leaves safe words bare", () => {
    expect(shellWord("test.suite.name-1")).toBe("test.suite.name-1");
    expect(shellWord("a b")).toBe("'a b'");
  });
});
