// The time axis above the waterfall and its grid lines: about eight marks at round durations.
import { el } from "./dom";
import { formatMs, percentOf } from "./format";

const STEPS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 144e5];

const stepFor = (totalMs: number) => STEPS_MS.find((step) => step >= totalMs / 8) ?? STEPS_MS[STEPS_MS.length - 1]!;

export function drawAxis(axis: HTMLElement, grid: HTMLElement, totalMs: number): void {
  const step = stepFor(totalMs);
  for (let t = 0; t <= totalMs + 1e-9; t += step) {
    const x = `${percentOf(t, totalMs).toFixed(3)}%`;
    const mark = el("span", "wf-axis-mark", t ? formatMs(t) : "0");
    mark.style.left = x;
    axis.append(mark);
    const line = el("div", "wf-grid-line");
    line.style.left = x;
    grid.append(line);
  }
}
