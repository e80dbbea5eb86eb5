// The page's header as data for templates/report/header.hbs: the run, where its spans went, and the
// number cards. Runs recorded before endpoints were cleaned may still hold `user:password@`: never shown.
import { redactUrl } from "../../export/config.js";
import type { RunView } from "../../runs/read-view.js";
import { formatDuration } from "../summary-text.js";

export interface CardView {
  label: string;
  value: string | number;
  tone: string;
}

export interface HeaderView {
  command: string;
  runId: string;
  result: string;
  /** `incomplete: …; never finished: …` for a run nixotel did not finish recording. */
  incomplete: string | null;
  flake: string;
  system: string;
  startedAt: string;
  traceId: string;
  export: {
    endpoint: string | null;
    delivered: boolean;
    spans: number;
    spooled: number;
    error: string | null;
    rejected: number;
    rejection: string | null;
  };
  cards: CardView[];
}

export function headerView({ record, counts, elapsedMs, incomplete }: RunView): HeaderView {
  const { export: exported } = record;
  const card = (label: string, value: string | number, tone = ""): CardView => ({ label, value, tone });
  return {
    command: record.command,
    runId: record.runId,
    result: incomplete ? "incomplete" : record.result,
    incomplete: incomplete?.note ?? null,
    flake: record.flake,
    system: record.system,
    startedAt: record.startedAt,
    traceId: record.traceId,
    export: {
      endpoint: exported.endpoint ? redactUrl(exported.endpoint) : null,
      delivered: exported.delivered,
      spans: exported.spans,
      spooled: exported.spooled,
      error: exported.error ? redactUrl(exported.error) : null,
      rejected: exported.rejected ?? 0,
      rejection: exported.rejection ? redactUrl(exported.rejection) : null,
    },
    cards: [
      card("checks", record.checks.length),
      card("passed", counts.passed, "tone-pass"),
      card("failed", counts.failed, counts.failed ? "tone-fail" : ""),
      ...(counts.cancelled ? [card("cancelled", counts.cancelled, "tone-fail")] : []),
      card("cached", counts.cached, "tone-cached"),
      card("wall time", formatDuration(elapsedMs)),
      card("spans", counts.spans),
    ],
  };
}
