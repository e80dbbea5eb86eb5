// zod's own messages ("Invalid input", "expected string, received undefined") in the project's
// wording: what was expected, what came, what to do. Used as the per-parse error map, so it replaces
// only zod's defaults; a message a schema states itself ("must be at least 256 (MiB)") is kept.
import type { z } from "zod";

const SHOWN_CHARS = 60;

const TYPE_NAMES: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "a boolean (true or false)",
  object: "an object {…}",
  array: "a list […]",
  record: "an object {…}",
  null: "null",
};

const typeName = (expected: string) => TYPE_NAMES[expected] ?? expected;

/** A value as the user wrote it, short: `"text"`, `5 (a number)`, `a list`, `nothing`. */
export function shown(input: unknown): string {
  if (input === undefined) return "nothing";
  if (input === null) return "null";
  if (typeof input === "string") {
    const text = JSON.stringify(input);
    return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…"` : text;
  }
  if (typeof input === "number") return `${input} (a number)`;
  if (typeof input === "boolean") return `${input} (true or false)`;
  if (Array.isArray(input)) return "a list […]";
  return "an object {…}";
}

/** The types a union accepts, from the invalid_type issues of its options: "a string, a number or true or false". */
function unionTypes(issue: z.core.$ZodRawIssue<z.core.$ZodIssueInvalidUnion>): string {
  const names = [...new Set(issue.errors.flat().flatMap((inner) => (inner.code === "invalid_type" ? [typeName(inner.expected)] : [])))];
  if (names.length === 0) return "one of the accepted values";
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

const sizeUnit = (origin: string) => (origin === "string" ? " character(s)" : origin === "array" ? " item(s)" : "");

/** The message for one of zod's default issues; undefined leaves zod's (never reached for the codes here). */
export function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  const got = shown(issue.input);
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `expected ${typeName(issue.expected)}, got nothing; add it`;
      return `expected ${typeName(issue.expected)}, got ${got}; write ${typeName(issue.expected)} here`;
    case "invalid_union":
      return `expected ${unionTypes(issue)}, got ${got}; write one of those here`;
    case "too_small":
      return `expected at least ${String(issue.minimum)}${sizeUnit(issue.origin)}, got ${got}; make it longer or larger`;
    case "too_big":
      return `expected at most ${String(issue.maximum)}${sizeUnit(issue.origin)}, got ${got}; make it shorter or smaller`;
    case "invalid_value":
      return `expected ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}, got ${got}; write one of those`;
    case "invalid_format":
      return `expected ${issue.format === "regex" ? "text of the documented form" : `${issue.format} text`}, got ${got}; see the README for the form`;
    case "not_multiple_of":
      return `expected a multiple of ${String(issue.divisor)}, got ${got}`;
    default:
      return `expected a valid value, got ${got}; see the README for what this key takes`;
  }
}

/** safeParse options that give every default issue the project's wording. */
export const PROJECT_WORDING = { error: issueMessage, reportInput: true } as const;
