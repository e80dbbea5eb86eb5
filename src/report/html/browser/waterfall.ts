// The page's trace waterfall. Rows are virtual (only those in view exist in the DOM), so a run of
// thousands of spans opens and scrolls fast. Reads the JSON the page builder embedded (page-data.ts).
import type { WaterfallData } from "../page-data";
import { drawAxis } from "./axis";
import { showDetails } from "./details";
import { byId, redrawOnScroll } from "./dom";
import { ROW_HEIGHT, drawRow } from "./rows";
import { SpanTree } from "./tree";

const startedAt = performance.now();
const data = JSON.parse(byId("nixotel-data", HTMLScriptElement).textContent ?? "") as WaterfallData;
const totalMs = data.endMs || 1;
const tree = new SpanTree(data.spans);
const body = byId("wf-body", HTMLDivElement);
const rows = byId("wf-rows", HTMLDivElement);
const grid = byId("wf-grid", HTMLDivElement);
const filterBox = byId("wf-filter", HTMLInputElement);
const failedOnly = byId("wf-failed", HTMLInputElement);
const details = byId("wf-details", HTMLDivElement);
const count = byId("wf-count", HTMLSpanElement);
let visible: number[] = [];
let selected = -1;

function flatten(): void {
  visible = tree.visible({ text: filterBox.value.trim().toLowerCase(), failedOnly: failedOnly.checked });
  rows.style.height = grid.style.height = `${visible.length * ROW_HEIGHT}px`;
  count.textContent = `${visible.length} of ${data.spans.length} spans shown`;
}

/** Draws the rows in view, and a margin of ten above and twenty below. */
function render(): void {
  const first = Math.max(0, Math.floor(body.scrollTop / ROW_HEIGHT) - 10);
  const last = Math.min(visible.length, first + Math.ceil((body.clientHeight || 600) / ROW_HEIGHT) + 20);
  const fragment = document.createDocumentFragment();
  for (let index = first; index < last; index++) {
    const i = visible[index]!;
    fragment.append(
      drawRow(data.spans[i]!, i, { index, hasChildren: tree.hasChildren(i), open: tree.isOpen(i), selected: i === selected }, totalMs),
    );
  }
  rows.replaceChildren(fragment);
}

function refresh(): void {
  flatten();
  render();
}

rows.addEventListener("click", (event) => {
  if (!(event.target instanceof Element)) return;
  const toggle = event.target.closest<HTMLElement>("[data-toggle]");
  const row = event.target.closest<HTMLElement>("[data-span]");
  if (toggle?.textContent) {
    tree.toggle(Number(toggle.dataset["toggle"]));
    refresh();
  } else if (row) {
    selected = Number(row.dataset["span"]);
    showDetails(details, data.spans[selected]!);
    render();
    // The log viewer (logs.ts) shows the lines printed in that span.
    document.dispatchEvent(new CustomEvent("nixotel:span", { detail: selected }));
  }
});
for (const [id, open] of [
  ["wf-expand", true],
  ["wf-collapse", false],
] as const)
  byId(id, HTMLButtonElement).addEventListener("click", () => {
    tree.setAll(open);
    refresh();
  });
filterBox.addEventListener("input", refresh);
failedOnly.addEventListener("change", refresh);
redrawOnScroll(body, render);

drawAxis(byId("wf-axis", HTMLDivElement), grid, totalMs);
refresh();
document.body.dataset["renderMs"] = (performance.now() - startedAt).toFixed(1);
