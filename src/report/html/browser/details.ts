// The panel under the waterfall: everything known about the clicked span.
import type { WaterfallSpan } from "../page-data";
import { el } from "./dom";
import { MOVED_NOTE, formatMs, outsideNote } from "./format";

function facts(span: WaterfallSpan): [string, string][] {
  const status = span.failed ? `error${span.statusMessage ? `: ${span.statusMessage}` : ""}` : "ok / unset";
  const list: [string, string][] = [
    ["role", span.role],
    ["duration", formatMs(span.endMs - span.startMs)],
    ["starts at", `+${formatMs(span.startMs)}`],
    ["status", status],
  ];
  if (span.moved) list.push(["note", MOVED_NOTE]);
  const outside = outsideNote(span);
  if (outside) list.push(["note", outside]);
  return list;
}

export function showDetails(panel: HTMLElement, span: WaterfallSpan): void {
  panel.textContent = "";
  panel.hidden = false;
  panel.append(el("h3", undefined, span.name));
  const table = el("table", "kv");
  for (const [key, value] of [...facts(span), ...span.attributes]) {
    const row = el("tr");
    row.append(el("th", undefined, key), el("td", undefined, value));
    table.append(row);
  }
  panel.append(table);
  if (span.events.length) {
    const list = el("ul", "events");
    for (const event of span.events) list.append(el("li", undefined, `${event.name} at +${formatMs(event.atMs)}`));
    panel.append(list);
  }
}
