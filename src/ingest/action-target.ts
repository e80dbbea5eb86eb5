// What a driver action acted on, fit for a span attribute that is exported and shown: one line, at most
// MAX_TARGET_CHARS, and secrets-shaped values (`password=…`, tokens, `Authorization: …`, URL
// credentials) replaced by `***`, since commands in testScripts often carry test credentials.
import { redactUrl } from "../export/config.js";

/** A target longer than this (a long shell command) is cut, ending in `…`. */
export const MAX_TARGET_CHARS = 160;
const HIDDEN = "***";

// `KEY=value`, `KEY: value`, `--KEY value`, `--KEY=value` where KEY names a secret.
const SECRET_KEY = String.raw`[\w.-]*(?:pass(?:word|wd)?|secret|token|api[_-]?key|credential|private[_-]?key)[\w.-]*`;
const KEY_VALUE = new RegExp(String.raw`(\b${SECRET_KEY}\s*[=:]\s*)("[^"]*"|'[^']*'|\S+)`, "gi");
const FLAG_VALUE = new RegExp(String.raw`(--${SECRET_KEY}\s+)("[^"]*"|'[^']*'|\S+)`, "gi");
const AUTH_HEADER = /(\b(?:proxy-)?authorization:\s*)(?:(basic|bearer|token|digest)\s+)?("[^"]*"|'[^']*'|[^\s'"]+)/gi;
const BEARER = /\b(bearer\s+)[\w.~+/=-]{8,}/gi;
// Long opaque strings of the shapes common tokens take (GitHub, Slack, JWT).
const TOKEN_SHAPES = /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abpr]-[\w-]{10,}|eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,})\b/g;

/** The target with secrets-shaped values hidden, made one line and cut to MAX_TARGET_CHARS. */
export function safeTarget(raw: string): string {
  const hidden = redactUrl(raw)
    .replace(AUTH_HEADER, (_, key: string, scheme: string | undefined) => `${key}${scheme ? `${scheme} ` : ""}${HIDDEN}`)
    .replace(BEARER, `$1${HIDDEN}`)
    .replace(FLAG_VALUE, `$1${HIDDEN}`)
    .replace(KEY_VALUE, `$1${HIDDEN}`)
    .replace(TOKEN_SHAPES, HIDDEN);
  const oneLine = hidden.replace(/\s*\n\s*/g, " ⏎ ").trim();
  return oneLine.length > MAX_TARGET_CHARS ? `${oneLine.slice(0, MAX_TARGET_CHARS - 1)}…` : oneLine;
}
