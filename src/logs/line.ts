// What one build log line says about itself: who printed it (a machine, the prelude, nix) and how
// grave it is. The NixOS driver's formats (nixos/lib/test-driver/…/logger.py): `NAME: message` from
// a machine, `NAME # line` from its serial console, `!!! …` and `Test "…" failed with error: …` for
// failures; nix's own messages start `error:` or `warning:`. Each is one regular-expression test on the
// clean line, with no objects made: records are built for every line a check printed.
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

const MACHINE = /^([A-Za-z_][\w-]*)(?:: | # |:$| #$)/;
/** Words that end in `: ` at the start of a line without being a machine. */
const NOT_MACHINES = new Set(["subtest", "nixotel", "error", "warning", "note", "trace", "Test"]);
const ERROR = /^(?:!!! |Test ".*" failed with error: |error: |Traceback \(most recent call last\)|[\w.]*(?:Error|Exception): )/;
const WARNING = /^(?:warning: |WARNING[: ]|[\w.]*Warning: )/;
const PRELUDE_TROUBLE = /^nixotel: (?:cannot|live export .* failed|.*: .* not (?:read|written))/;

/** The machine named by a clean line's `NAME: ` or `NAME # ` prefix. */
export function machineOf(body: string): string | undefined {
  const named = MACHINE.exec(body)?.[1];
  return named !== undefined && !NOT_MACHINES.has(named) ? named : undefined;
}

/** `prelude` for the prelude's own messages. */
export const sourceOf = (body: string) => (body.startsWith("nixotel: ") ? ("prelude" as const) : undefined);

/** A clean line's severity; a machine's own line is graded by what follows its prefix. */
export function severityOf(body: string, machine: string | undefined): Severity {
  const message = machine === undefined ? body : body.slice(machine.length + 2);
  if (ERROR.test(message)) return "ERROR";
  return WARNING.test(message) || (sourceOf(body) && PRELUDE_TROUBLE.test(body)) ? "WARN" : "INFO";
}

/** A raw line's facts: its body (ANSI codes and a `vm-test-run-NAME> ` prefix stripped), severity, machine, source. */
export function lineFacts(raw: string): LineFacts {
  const body = cleanDriverLine(raw);
  const machine = machineOf(body);
  const source = sourceOf(body);
  return { body, severity: severityOf(body, machine), ...(machine !== undefined ? { machine } : {}), ...(source ? { source } : {}) };
}
