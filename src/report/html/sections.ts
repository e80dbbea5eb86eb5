// The parts of the page that need no script: header, summary, checks with their subtests, failures
// with their log tails, slowest spans. Every name passes through escapeHtml.
import { redactUrl } from "../../export/config.js";
import type { CheckView, RunView } from "../../runs/read-view.js";
import { durationMs } from "../../runs/read-trace.js";
import { COLLAPSE_SUBTESTS_ABOVE, formatDuration } from "../summary-text.js";
import { escapeHtml as h } from "./escape.js";

const TAIL_LINES = 40;
const OPEN_FAILURES = 2;
const STATUS_LABEL = { pass: "pass", fail: "fail", cancelled: "cancelled" } as const;
const anchorOf = (index: number) => `failure-${index}`;

export function headerSection(view: RunView): string {
  const { record, counts } = view;
  // Runs recorded before endpoints were cleaned may still hold `user:password@`: never shown.
  const endpoint = record.export.endpoint && redactUrl(record.export.endpoint);
  const error = record.export.error && redactUrl(record.export.error);
  const rejected = record.export.rejected
    ? `; ${record.export.rejected} spans refused for good${record.export.rejection ? ` (${h(redactUrl(record.export.rejection))})` : ""}`
    : "";
  const exported = endpoint
    ? record.export.delivered
      ? `sent ${record.export.spans} spans to ${h(endpoint)}`
      : `${record.export.spooled} spans spooled for <code>nixotel flush</code> (${h(endpoint)}${error ? `: ${h(error)}` : ""})${rejected}`
    : "written to disk only";
  const card = (label: string, value: string | number, tone = "") =>
    `<div class="card ${tone}"><div class="card-value">${value}</div><div class="card-label">${label}</div></div>`;
  return `<header>
  <div class="title-row"><h1>nixotel ${h(record.command)} <span class="mono">${h(record.runId)}</span></h1><span class="badge result-${h(record.result)}">${h(record.result)}</span></div>
  <p class="meta"><span>flake <code>${h(record.flake)}</code></span><span>system <code>${h(record.system)}</code></span><span>started ${h(record.startedAt)}</span><span>trace <code>${h(record.traceId)}</code></span><span>${exported}</span></p>
  <div class="cards">${card("checks", record.checks.length)}${card("passed", counts.passed, "tone-pass")}${card("failed", counts.failed, counts.failed ? "tone-fail" : "")}${counts.cancelled ? card("cancelled", counts.cancelled, "tone-fail") : ""}${card("cached", counts.cached, "tone-cached")}${card("wall time", formatDuration(view.elapsedMs))}${card("spans", counts.spans)}</div>
</header>`;
}

/** One subtest as a table row; `inChecksTable` adds the checks table's empty status and trailing cells. */
function subtestRow(subtest: CheckView["subtests"][number], inChecksTable: boolean): string {
  const depth = subtest.name.split(" › ").length - 1;
  return `<tr class="subtest ${subtest.failed ? "status-fail" : "status-pass"}">${inChecksTable ? "<td></td>" : ""}<td style="padding-left:${1.2 + depth * 1.2}em"><span class="mark">${subtest.failed ? "✗" : "✓"}</span> ${h(subtest.name)}</td><td class="num">${formatDuration(subtest.durationMs)}</td>${inChecksTable ? "<td></td><td></td><td></td>" : ""}</tr>`;
}

/** A passing check's subtests on a large run: folded into its name cell, one click away. */
const foldedSubtests = (check: CheckView) =>
  `<details class="subtests"><summary>${check.subtests.length} subtests</summary><table class="subtests"><tbody>${check.subtests.map((s) => subtestRow(s, false)).join("")}</tbody></table></details>`;

function checkRows(check: CheckView, failureIndex: number, fold: boolean): string {
  const { record } = check;
  const failedSubtests = check.subtests.filter((s) => s.failed).length;
  const error = record.errorType
    ? `<a href="#${anchorOf(failureIndex)}">${h(record.errorType)}</a>`
    : record.status === "fail"
      ? `<a href="#${anchorOf(failureIndex)}">log</a>`
      : "";
  const folded = fold && check.subtests.length > 0;
  const rows = [
    `<tr class="check status-${record.status}"><td><span class="pill pill-${record.status}">${STATUS_LABEL[record.status]}</span></td><td><div class="check-name">${h(record.suite)}.<strong>${h(record.name)}</strong></div><div class="muted mono small">${h(record.attr)}</div>${folded ? foldedSubtests(check) : ""}</td><td class="num">${record.cached ? "—" : formatDuration(record.durationMs)}</td><td>${record.cached ? `<span class="pill pill-cached">cached</span>` : ""}</td><td class="num">${check.subtests.length ? `${check.subtests.length - failedSubtests}/${check.subtests.length}` : ""}</td><td>${error}</td></tr>`,
  ];
  if (!folded) for (const subtest of check.subtests) rows.push(subtestRow(subtest, true));
  return rows.join("\n");
}

export function checksSection(view: RunView): string {
  let failures = 0;
  // Same rule as the terminal: on a large run only the checks that did not pass show their subtests.
  const large = view.checks.length > COLLAPSE_SUBTESTS_ABOVE;
  const body = view.checks
    .map((check) => checkRows(check, check.record.status === "fail" ? failures++ : -1, large && check.record.status === "pass"))
    .join("\n");
  const note = large
    ? `<p class="muted small">More than ${COLLAPSE_SUBTESTS_ABOVE} checks: the subtests of passing checks are folded under their name.</p>`
    : "";
  return `<section id="checks"><h2>Checks</h2>${note}
<table class="checks"><thead><tr><th>status</th><th>check</th><th class="num">build time</th><th></th><th class="num">subtests</th><th>error</th></tr></thead>
<tbody>${body || `<tr><td colspan="6" class="muted">This run has no checks.</td></tr>`}</tbody></table></section>`;
}

// A log box is capped in height; the error is at its end, so each box shows its end: on load for
// the open ones, on opening for the others (a closed box has no layout to scroll).
const SCROLL_LOGS_TO_END = `(function () {
  document.querySelectorAll("details.failure").forEach(function (box) {
    var log = box.querySelector("pre.log");
    if (!log) return;
    function toEnd() { if (box.open) log.scrollTop = log.scrollHeight; }
    toEnd();
    box.addEventListener("toggle", toEnd);
  });
})();`;

export function failuresSection(view: RunView): string {
  const failed = view.checks.filter((c) => c.record.status === "fail");
  if (!failed.length) return "";
  const items = failed.map((check, i) => {
    const tail = check.logTail.slice(-TAIL_LINES);
    const log = tail.length
      ? `<pre class="log">${tail.map(h).join("\n")}</pre>`
      : `<p class="muted">No log lines were recorded for this check.</p>`;
    // The first few open; the rest one line each, so many failures do not push the trace away.
    return `<details class="failure" id="${anchorOf(i)}"${i < OPEN_FAILURES ? " open" : ""}><summary><span class="pill pill-fail">fail</span> ${h(check.record.suite)}.<strong>${h(check.record.name)}</strong>${check.record.errorType ? ` <span class="muted">${h(check.record.errorType)}</span>` : ""}</summary>
<p class="muted small">last ${tail.length} log line(s) of <code>${h(check.record.drvPath ?? check.record.attr)}</code></p>${log}</details>`;
  });
  return `<section id="failures"><h2>Failures</h2>${items.join("\n")}<script>${SCROLL_LOGS_TO_END}</script></section>`;
}

export function slowestSection(view: RunView): string {
  if (!view.slowest.length) return "";
  const total = view.trace?.endMs || 1;
  const rows = view.slowest.map((node) => {
    const ms = durationMs(node);
    return `<tr><td class="num">${formatDuration(ms)}</td><td><span class="role role-${node.role}">${node.role}</span></td><td>${h(node.span.name)}</td><td class="share"><span style="width:${Math.max(0.5, Math.min(100, (ms / total) * 100)).toFixed(1)}%"></span></td></tr>`;
  });
  return `<section id="slowest"><h2>Slowest spans</h2><table class="slowest"><tbody>${rows.join("\n")}</tbody></table></section>`;
}
