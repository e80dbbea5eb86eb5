// What one build log line says about itself: who printed it (a machine, the prelude, nix) and how
// grave it is. The NixOS driver's formats (nixos/lib/test-driver/…/logger.py): `NAME: message` from
// a machine, `NAME # line` from its serial console, `!!! …` and `Test "…" failed with error: …` for
// failures; nix's own messages start `error:` or `warning:`. Records are built for every line a check
// printed: the machine is read char by char, and only a line that could be an error or a warning is
// tried by those expressions, from where its message starts (no line is cut to try it).
import { cleanDriverLine } from "../ingest/driver-verbs.js";
import type { Severity } from "./model.js";

export interface LineFacts {
  body: string;
  severity: Severity;
  /** The machine whose message or console output this is. */
  machine?: string;
  /** `prelude` for the prelude's own messages (`nixotel: …`). */
  source?: "prelude";
}

/** Words that end in `: ` at the start of a line without being a machine. */
const NOT_MACHINES = new Set(["subtest", "nixotel", "error", "warning", "note", "trace", "Test"]);
// Tried from where a machine's message starts (lastIndex), so no line is cut to try them.
const ERROR = /(?:!!! |Test ".*" failed with error: |error: |Traceback \(most recent call last\)|[\w.]*(?:Error|Exception): )/y;
const WARNING = /(?:warning: |WARNING[: ]|[\w.]*Warning: )/y;
const PRELUDE_TROUBLE = /^nixotel: (?:cannot|live export .* failed|.*: .* not (?:read|written))/;

const COLON = 58;
const SPACE = 32;
const HASH = 35;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // [A-Za-z_]
const isNameChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 45; // [\w-]

/** The machine named by a clean line's `NAME: ` or `NAME # ` prefix (`NAME:` or `NAME #` ending the
 * line), NAME a letter or `_` then letters, digits, `_` and `-`: read char by char, the commonest line. */
export function machineOf(body: string): string | undefined {
  if (!isLetter(body.charCodeAt(0))) return undefined;
  let end = 1;
  while (end < body.length && isNameChar(body.charCodeAt(end))) end += 1;
  const endsOr = (at: number, c: number) => at === body.length || body.charCodeAt(at) === c;
  const prefixed =
    body.charCodeAt(end) === COLON
      ? endsOr(end + 1, SPACE)
      : body.charCodeAt(end) === SPACE && body.charCodeAt(end + 1) === HASH && endsOr(end + 2, SPACE);
  if (!prefixed) return undefined;
  const name = body.slice(0, end);
  return NOT_MACHINES.has(name) ? undefined : name;
}

/** `prelude` for the prelude's own messages. */
export const sourceOf = (body: string) => (body.startsWith("nixotel: ") ? ("prelude" as const) : undefined);

// Only lines like these can match ERROR or WARNING from `at`: most lines are tested by no expression.
const mayBeError = (body: string, at: number) =>
  "!Te".includes(body.charAt(at) || "-") || body.includes("Error: ", at) || body.includes("Exception: ", at);
const mayBeWarning = (body: string, at: number) => "wW".includes(body.charAt(at) || "-") || body.includes("Warning: ", at);

/** A clean line's severity; a machine's own line is graded by what follows its prefix. */
export function severityOf(body: string, machine: string | undefined): Severity {
  const at = machine === undefined ? 0 : machine.length + 2;
  const matches = (pattern: RegExp) => {
    pattern.lastIndex = at;
    return pattern.test(body);
  };
  if (mayBeError(body, at) && matches(ERROR)) return "ERROR";
  if (mayBeWarning(body, at) && matches(WARNING)) return "WARN";
  return sourceOf(body) && PRELUDE_TROUBLE.test(body) ? "WARN" : "INFO";
}

/** A raw line's facts: its body (ANSI codes and a `vm-test-run-NAME> ` prefix stripped), severity, machine, source. */
export function lineFacts(raw: string): LineFacts {
  const body = cleanDriverLine(raw);
  const machine = machineOf(body);
  const source = sourceOf(body);
  return { body, severity: severityOf(body, machine), ...(machine !== undefined ? { machine } : {}), ...(source ? { source } : {}) };
}
