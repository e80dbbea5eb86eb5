// zod issues → `path: message` lines, all at once, each naming the exact key it is about (the messages
// themselves: src/config/issue-message.ts).
import type { z } from "zod";

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || "(root)";
}

function issueLines(issue: z.core.$ZodIssue, path: readonly PropertyKey[]): string[] {
  const at = [...path, ...issue.path];
  if (issue.code === "unrecognized_keys")
    return issue.keys
      .filter((key) => !PROTOTYPE_KEYS.has(key))
      .map((key) => `${formatPath([...at, key])}: unknown key; remove it or fix its spelling (docs/cli.md lists the keys)`);
  // A record key that failed its own check: say why, at the key itself.
  if (issue.code === "invalid_key") return issue.issues.map((inner) => `${formatPath(at)}: this key ${inner.message}`);
  return [`${formatPath(at)}: ${issue.message}`];
}

/** Keys that name parts of every JavaScript object: as data they are dropped, or worse, become an
 * object's prototype (`nodes.__proto__`), so nixotel.json may not use them anywhere. */
const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/** One `path: message` for each prototype key anywhere in `raw` (JSON.parse keeps them as own keys). */
export function prototypeKeyProblems(raw: unknown, path: readonly PropertyKey[] = []): string[] {
  if (typeof raw !== "object" || raw === null) return [];
  return Object.keys(raw).flatMap((key) => {
    const at = [...path, Array.isArray(raw) ? Number(key) : key];
    const value: unknown = (raw as Record<string, unknown>)[key];
    if (!PROTOTYPE_KEYS.has(key)) return prototypeKeyProblems(value, at);
    return [
      `${formatPath(at)}: expected a key other than __proto__, constructor or prototype (JavaScript reserves them), got ${JSON.stringify(key)}; rename or remove it`,
    ];
  });
}

/** An issue about a prototype key is already said by prototypeKeyProblems. */
const aboutPrototypeKey = (issue: z.core.$ZodIssue) =>
  issue.path.some((key) => typeof key === "string" && PROTOTYPE_KEYS.has(key)) ||
  (issue.code === "unrecognized_keys" && issue.keys.every((key) => PROTOTYPE_KEYS.has(key)));

export function formatIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.filter((issue) => !aboutPrototypeKey(issue)).flatMap((issue) => issueLines(issue, prefix));
}

/** Where a JSON.parse error happened, as `line L, column C`, from the position in its message. */
export function jsonErrorWhere(text: string, error: Error): string {
  const position = /at position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return error.message;
  const before = text.slice(0, Number(position));
  const line = before.split("\n").length;
  const column = Number(position) - before.lastIndexOf("\n");
  return `${error.message.replace(/ in JSON at position \d+.*$/, "")} at line ${line}, column ${column}`;
}
