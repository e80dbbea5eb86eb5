// Nix's `--log-format internal-json` stream: every stderr line `@nix {json}` becomes one typed event.
// Types from nix's src/libutil/logging.hh (ActivityType / ResultType).

export const ActivityType = { Build: 105, Builds: 104, CopyPath: 100, FileTransfer: 101, Substitute: 108, QueryPathInfo: 109 } as const;
export const ResultType = { BuildLogLine: 101, SetPhase: 104, Progress: 105, PostBuildLogLine: 107 } as const;

export type NixEvent =
  | { action: "start"; id: number; type: number; text: string; parent: number; fields: unknown[] }
  | { action: "stop"; id: number }
  | { action: "result"; id: number; type: number; fields: unknown[] }
  | { action: "msg"; level: number; msg: string }
  /** A stderr line that is not `@nix …` (nix prints a few plain lines, e.g. warnings). */
  | { action: "plain"; text: string };

const PREFIX = "@nix ";

const isNumber = (value: unknown): value is number => typeof value === "number";

/** Parses one stderr line; never throws (a malformed line is kept as plain text). What nix wrote is
 * returned as it is when it already has the event's shape (the common case: one object per line, not two). */
export function parseNixLine(line: string): NixEvent {
  if (!line.startsWith(PREFIX)) return { action: "plain", text: line };
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(line.slice(PREFIX.length)) as Record<string, unknown>;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { action: "plain", text: line };
  }
  if (raw === null || typeof raw !== "object") return { action: "plain", text: line };
  const id = Number(raw.id ?? 0);
  const fields = Array.isArray(raw.fields) ? (raw.fields as unknown[]) : [];
  switch (raw.action) {
    case "start":
      if (isNumber(raw.id) && isNumber(raw.type) && typeof raw.text === "string" && isNumber(raw.parent) && raw.fields === fields)
        return raw as NixEvent;
      return { action: "start", id, type: Number(raw.type), text: String(raw.text ?? ""), parent: Number(raw.parent ?? 0), fields };
    case "stop":
      return isNumber(raw.id) ? (raw as NixEvent) : { action: "stop", id };
    case "result":
      if (isNumber(raw.id) && isNumber(raw.type) && raw.fields === fields) return raw as NixEvent;
      return { action: "result", id, type: Number(raw.type), fields };
    case "msg":
      if (isNumber(raw.level) && typeof raw.msg === "string") return raw as NixEvent;
      return { action: "msg", level: Number(raw.level ?? 0), msg: String(raw.msg ?? "") };
    default:
      return { action: "plain", text: line };
  }
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

// Most lines hold no escape at all: they are returned as they are, without running the regex.
export const stripAnsi = (text: string) => (text.includes("\x1b") ? text.replace(ANSI, "") : text);

/** `builder for '/nix/store/…drv' failed …` and friends: the drv paths a nix error message names. */
export function drvPathsIn(message: string): string[] {
  return [...stripAnsi(message).matchAll(/'(\/[^']+\.drv)'/g)].map((m) => m[1] ?? "");
}

/** `/nix/store/<hash>-vm-test-run-web.drv` → `vm-test-run-web`: the name a person knows a derivation by. */
export const drvName = (drvPath: string) => drvPath.replace(/^.*\/[0-9a-z]{32}-/, "").replace(/\.drv$/, "");
