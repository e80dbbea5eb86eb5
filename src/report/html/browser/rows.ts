// One waterfall row: the span's name, indented, with its toggle; its bar on the time axis with event
// ticks and the duration beside it. Rows are absolutely placed, so only those in view need to exist.
import type { WaterfallSpan } from "../page-data";
import { el } from "./dom";
import { MOVED_NOTE, formatMs, outsideNote, percentOf } from "./format";

export const ROW_HEIGHT = 24;

export interface RowState {
  index: number;
  hasChildren: boolean;
  open: boolean;
  selected: boolean;
}

function rowClasses(span: WaterfallSpan, selected: boolean): string {
  const flags = {
    failed: span.failed,
    shifted: span.moved,
    cached: span.cached,
    critical: span.critical,
    outside: span.outside !== undefined,
    selected,
  };
  const set = Object.entries(flags).flatMap(([name, on]) => (on ? [name] : []));
  return ["wf-row", `role-${span.role}`, ...set].join(" ");
}

function nameCell(span: WaterfallSpan, spanIndex: number, state: RowState): HTMLElement {
  const name = el("div", "wf-name");
  name.style.paddingLeft = `${6 + span.depth * 14}px`;
  const toggle = el("span", "wf-toggle", state.hasChildren ? (state.open ? "\u25be" : "\u25b8") : "");
  toggle.dataset["toggle"] = String(spanIndex);
  name.append(toggle, el("span", "wf-dot"), el("span", "wf-label", span.label ?? span.name));
  if (span.outside) name.append(el("span", "wf-warn", "outside parent"));
  return name;
}

function trackCell(span: WaterfallSpan, totalMs: number): HTMLElement {
  const track = el("div", "wf-track");
  const left = percentOf(span.startMs, totalMs);
  const width = Math.max(percentOf(span.endMs, totalMs) - left, 0.05);
  for (const event of span.events) {
    const tick = el("span", "wf-tick");
    tick.style.left = `${percentOf(event.atMs, totalMs).toFixed(3)}%`;
    tick.title = `${event.name} at +${formatMs(event.atMs)}`;
    track.append(tick);
  }
  const bar = el("div", "wf-bar");
  bar.style.left = `${left.toFixed(3)}%`;
  bar.style.width = `${width.toFixed(3)}%`;
  // The duration goes right of the bar where there is room, else inside a wide bar, else to its left.
  const label = el("span", "wf-dur", formatMs(span.endMs - span.startMs));
  if (left + width < 82) label.style.left = `calc(${(left + width).toFixed(3)}% + 6px)`;
  else if (width > 12) {
    label.style.right = `calc(${(100 - left - width).toFixed(3)}% + 6px)`;
    label.classList.add("inside");
  } else label.style.right = `calc(${(100 - left).toFixed(3)}% + 6px)`;
  track.append(bar, label);
  return track;
}

export function drawRow(span: WaterfallSpan, spanIndex: number, state: RowState, totalMs: number): HTMLElement {
  const row = el("div", rowClasses(span, state.selected));
  row.style.top = `${state.index * ROW_HEIGHT}px`;
  row.dataset["span"] = String(spanIndex);
  const notes = [
    span.critical ? " (on the critical path)" : "",
    span.moved ? ` (${MOVED_NOTE})` : "",
    span.outside ? ` (${outsideNote(span)})` : "",
  ].join("");
  row.title = `${span.name} \u2014 ${formatMs(span.endMs - span.startMs)} at +${formatMs(span.startMs)}${notes}`;
  row.append(nameCell(span, spanIndex, state), trackCell(span, totalMs));
  return row;
}
