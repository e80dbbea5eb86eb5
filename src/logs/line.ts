// What one build log line says about itself: who printed it (a machine, the prelude, nix) and how
// grave it is. The NixOS driver's formats (nixos/lib/test-driver/…/logger.py): `NAME: message` from
// a machine, `NAME # line` from its serial console, `!!! …` and `Test "…" failed with error: …` for
// failures; nix's own messages start `error:` or `warning:`.
import { stripAnsi } from "../nix/activity.js";
import type { Severity } from "./model.js";

export interface LineFacts {
  body: string;
  severity: Severity;
  /** The machine whose message or console output this is. */
  machine?: string;
  /** `prelude` for the prelude's own messages (`nixotel: …`). */
  source?: "prelude";
}

// `nix build -L` puts `vm-test-run-NAME> ` before each line; nixotel's stream has bare lines, a log
// pasted from CI may not.
const BUILD_PREFIX = /^[\w.+-]+> /;
const MACHINE = /^([A-Za-z_][\w-]*)(?:: | # |:$| #$)/;
/** Words that end in `: ` at the start of a line without being a machine. */
const NOT_MACHINES = new Set(["subtest", "nixotel", "error", "warning", "note", "trace", "Test"]);
const ERROR = /^(?:!!! |Test ".*" failed with error: |error: |Traceback \(most recent call last\)|[\w.]*(?:Error|Exception): )/;
const WARNING = /^(?:warning: |WARNING[: ]|[\w.]*Warning: )/;
const PRELUDE_TROUBLE = /^nixotel: (?:cannot|live export .* failed|.*: .* not (?:read|written))/;

export function lineFacts(raw: string): LineFacts {
  const body = stripAnsi(raw).replace(BUILD_PREFIX, "").trimEnd();
  const named = MACHINE.exec(body)?.[1];
  const machine = named !== undefined && !NOT_MACHINES.has(named) ? named : undefined;
  // A machine's own line is graded by what follows its prefix.
  const message = machine === undefined ? body : body.slice(machine.length + 2);
  const source = body.startsWith("nixotel: ") ? ("prelude" as const) : undefined;
  const severity: Severity = ERROR.test(message)
    ? "ERROR"
    : WARNING.test(message) || (source && PRELUDE_TROUBLE.test(body))
      ? "WARN"
      : "INFO";
  return { body, severity, ...(machine !== undefined ? { machine } : {}), ...(source ? { source } : {}) };
}
