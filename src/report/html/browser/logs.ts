// The page's log viewer: one check's whole log at a time, folded per subtest, searchable, with a
// virtual list (only the rows in view exist), so a check of 100 000 lines opens and scrolls fast. A
// click on a waterfall span (its `nixotel:span` event) shows the first line printed in that span.
import type { LogsData, WaterfallData } from "../page-data";
import { byId, el, redrawOnScroll } from "./dom";
import { blockOfHeader, firstLines, flattenLog } from "./log-rows";

const startedAt = performance.now();
const ROW = 18;
const data = JSON.parse(byId("nixotel-logs", HTMLScriptElement).textContent ?? "") as LogsData;
const trace = document.getElementById("nixotel-data");
const parents = trace ? (JSON.parse(trace.textContent ?? "") as WaterfallData).spans.map((s) => s.parent) : [];
const picker = byId("log-check", HTMLSelectElement);
const search = byId("log-search", HTMLInputElement);
const count = byId("log-count", HTMLSpanElement);
const body = byId("log-body", HTMLDivElement);
const rowsBox = byId("log-rows", HTMLDivElement);
const folded = data.checks.map(() => new Set<number>());
let firstLineOf: ReturnType<typeof firstLines> | undefined; // made on the first click: most pages never need it
let check = Math.max(
  0,
  data.checks.findIndex((c) => c.severity.includes("E")),
);
let rows: number[] = [];
let target = -1;

function flatten(): void {
  const log = data.checks[check]!;
  const query = search.value.trim().toLowerCase();
  const shown = flattenLog(log, folded[check]!, query);
  rows = shown.rows;
  rowsBox.style.height = `${rows.length * ROW}px`;
  count.textContent = query
    ? `${shown.matches} of ${log.text.length} lines match`
    : `${log.text.length} lines, ${log.blocks.length} blocks`;
}

function drawRow(row: number, index: number): HTMLElement {
  const log = data.checks[check]!;
  if (row < 0) {
    const b = blockOfHeader(row);
    const block = log.blocks[b]!;
    const header = el(
      "div",
      "log-block",
      `${folded[check]!.has(b) ? "\u25b8" : "\u25be"} ${block.subtest ?? "outside subtests"} \u00b7 ${block.to - block.from} lines`,
    );
    header.dataset["block"] = String(b);
    header.style.top = `${index * ROW}px`;
    return header;
  }
  const line = el("div", `log-line sev-${log.severity[row]}${row === target ? " target" : ""}`);
  line.style.top = `${index * ROW}px`;
  line.append(el("span", "log-no", String(row + 1)), el("span", "log-text", log.text[row]));
  return line;
}

function render(): void {
  const first = Math.max(0, Math.floor(body.scrollTop / ROW) - 20);
  const last = Math.min(rows.length, first + Math.ceil((body.clientHeight || 600) / ROW) + 40);
  const fragment = document.createDocumentFragment();
  for (let index = first; index < last; index++) fragment.append(drawRow(rows[index]!, index));
  rowsBox.replaceChildren(fragment);
}

function refresh(): void {
  flatten();
  render();
}

function showLine(checkIndex: number, line: number): void {
  check = checkIndex;
  picker.value = String(checkIndex);
  const log = data.checks[checkIndex]!;
  const block = log.blocks.findIndex((b) => b.from <= line && line < b.to);
  folded[checkIndex]!.delete(block);
  if (search.value && !log.text[line]!.toLowerCase().includes(search.value.trim().toLowerCase())) search.value = "";
  target = line;
  flatten();
  body.scrollTop = Math.max(0, rows.indexOf(line) * ROW - body.clientHeight / 3);
  render();
  body.scrollIntoView({ block: "nearest" });
}

document.addEventListener("nixotel:span", (event) => {
  const span = (event as CustomEvent<number>).detail;
  firstLineOf ??= firstLines(data.checks, parents);
  const found = firstLineOf.get(span);
  if (found) showLine(found.check, found.line);
  else count.textContent = "no log lines were printed in that span";
});
rowsBox.addEventListener("click", (event) => {
  const header = event.target instanceof Element ? event.target.closest<HTMLElement>("[data-block]") : null;
  if (!header) return;
  const b = Number(header.dataset["block"]);
  if (!folded[check]!.delete(b)) folded[check]!.add(b);
  refresh();
});
picker.addEventListener("change", () => {
  check = Number(picker.value);
  target = -1;
  body.scrollTop = 0;
  refresh();
});
for (const [id, fold] of [
  ["log-unfold", false],
  ["log-fold", true],
] as const)
  byId(id, HTMLButtonElement).addEventListener("click", () => {
    const set = folded[check]!;
    set.clear();
    if (fold) data.checks[check]!.blocks.forEach((_, b) => set.add(b));
    refresh();
  });
search.addEventListener("input", () => {
  body.scrollTop = 0;
  refresh();
});
redrawOnScroll(body, render);

picker.value = String(check);
refresh();
document.body.dataset["logsRenderMs"] = (performance.now() - startedAt).toFixed(1);
