// Pure escapers for the languages a rendered test is written in. Each returns a complete literal.

const NIX_KEYWORDS = new Set(["if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or"]);

/** A Nix double-quoted string: `\`, `"` and `${` escaped, control characters spelled out. */
export function nixString(value: string): string {
  const body = value
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\$\{/g, "\\${")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return `"${body}"`;
}

/** A Nix attribute name: bare when it is an identifier, quoted otherwise (`"vm.memory_mb"`). */
export function nixAttrName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_'-]*$/.test(name) && !NIX_KEYWORDS.has(name) ? name : nixString(name);
}

/** A Nix literal for a string, number or boolean. */
export function nixValue(value: string | number | boolean): string {
  if (typeof value === "string") return nixString(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  // Nix has no exponent notation and 64-bit integers: only numbers it reads back exactly are written.
  const exact = Number.isSafeInteger(value) || (Number.isFinite(value) && !Number.isInteger(value) && !/e/i.test(String(value)));
  if (!exact) throw new TypeError(`Cannot write ${value} as a Nix number`);
  // `[ 1 -2 ]` is a subtraction in Nix: a negative number is parenthesised so it stands anywhere.
  return value < 0 ? `(${String(value)})` : String(value);
}

/**
 * Text placed inside a Nix indented string (`'' … ''`): each `''` becomes `'''`, `${` becomes `''${`,
 * and a lone quote before `${` or at the end becomes `''\'`, so it cannot merge with the `''` after it.
 */
export function nixIndented(text: string): string {
  return text
    .replace(/'+/g, (run: string, offset: number) => {
      const pairs = "'''".repeat(Math.floor(run.length / 2));
      const next = offset + run.length;
      const merges = next === text.length || text.startsWith("${", next);
      const odd = run.length % 2 === 0 ? "" : merges ? "''\\'" : "'";
      return pairs + odd;
    })
    .replace(/\$\{/g, "''${");
}

/** What a Python literal cannot hold as it is: a backslash, a quote, anything but printable ASCII
 * (one code point at a time, astral ones whole). */
const PYTHON_UNSAFE = /[\\"]|[^\x20-\x7e]/gu;

function pythonEscape(char: string): string {
  if (char === "\\" || char === '"') return `\\${char}`;
  const code = char.codePointAt(0)!;
  if (code <= 0xff) return `\\x${code.toString(16).padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${code.toString(16).padStart(4, "0")}`;
  return `\\U${code.toString(16).padStart(8, "0")}`;
}

/** A Python string literal using only ASCII, so no character can end or bend it. One regex pass: the
 * words of a testScript command are mostly plain, and a loop over every character was ~10 µs a call
 * in a cold process (`generate` makes thousands). */
export function pythonString(value: string): string {
  return `"${value.replace(PYTHON_UNSAFE, pythonEscape)}"`;
}

/** A POSIX shell word: bare when it holds only safe characters, single-quoted otherwise. */
export function shellWord(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
