// zod issues → `path: message` lines, all at once, each naming the exact key it is about.
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
    return issue.keys.map((key) => `${formatPath([...at, key])}: unknown key; remove it or fix its spelling (the README lists the keys)`);
  // A record key that failed its own check: say why, at the key itself.
  if (issue.code === "invalid_key") return issue.issues.map((inner) => `${formatPath(at)}: this key ${inner.message}`);
  return [`${formatPath(at)}: ${issue.message}`];
}

export function formatIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
  return error.issues.flatMap((issue) => issueLines(issue, prefix));
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
