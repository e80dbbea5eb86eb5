// Which rows the log viewer shows for one check: a header per subtest block, then its lines when the
// block is unfolded (or, while searching, only the lines that match, blocks without a match left out).
// A row is a number: a line's index (>= 0), or -(block index + 1) for a block's header.
import type { CheckLogData } from "../page-data";

export const headerRow = (block: number) => -(block + 1);
export const blockOfHeader = (row: number) => -row - 1;

export function flattenLog(log: CheckLogData, folded: ReadonlySet<number>, query: string): { rows: number[]; matches: number } {
  const rows: number[] = [];
  let matches = 0;
  log.blocks.forEach((block, b) => {
    if (!query) {
      rows.push(headerRow(b));
      if (!folded.has(b)) for (let i = block.from; i < block.to; i++) rows.push(i);
      return;
    }
    const header = rows.length;
    rows.push(headerRow(b));
    for (let i = block.from; i < block.to; i++) if (log.text[i]!.toLowerCase().includes(query)) rows.push(i);
    if (rows.length === header + 1)
      rows.pop(); // no match in this block: no header either
    else matches += rows.length - header - 1;
  });
  return { rows, matches };
}

/** For each waterfall span: the first line printed in it or in a span under it (check index, line). */
export function firstLines(logs: readonly CheckLogData[], parents: readonly number[]): Map<number, { check: number; line: number }> {
  const first = new Map<number, { check: number; line: number }>();
  logs.forEach((log, check) =>
    log.span.forEach((span, line) => {
      // Once a span has its first line, so do the spans above it.
      for (let s = span; s >= 0 && !first.has(s); s = parents[s] ?? -1) first.set(s, { check, line });
    }),
  );
  return first;
}
