// Which spans the waterfall lists: each span's children, which are open, and the filter, flattened
// to the rows to show in order.
import type { WaterfallSpan } from "../page-data";

/** Small runs open fully; large ones show their checks, and open the failed ones. */
const OPEN_ALL_UP_TO = 1500;

export interface Filter {
  text: string;
  failedOnly: boolean;
}

export class SpanTree {
  readonly roots: number[] = [];
  private readonly children: number[][];
  private readonly open: Uint8Array;

  constructor(readonly spans: readonly WaterfallSpan[]) {
    this.children = spans.map(() => []);
    spans.forEach((span, i) => (span.parent < 0 ? this.roots : this.children[span.parent]!).push(i));
    const large = spans.length > OPEN_ALL_UP_TO;
    this.open = Uint8Array.from(spans, (span) => (!large || span.depth < 1 || (span.role === "check" && span.failed) ? 1 : 0));
  }

  hasChildren = (i: number) => this.children[i]!.length > 0;
  isOpen = (i: number) => this.open[i] === 1;
  toggle = (i: number) => void (this.open[i] = this.isOpen(i) ? 0 : 1);

  /** Opens every span, or closes all but the roots. */
  setAll(open: boolean): void {
    this.open.fill(open ? 1 : 0);
    for (const root of this.roots) this.open[root] = 1;
  }

  /** Spans a filter keeps: a match, or an ancestor of one (so the path stays visible); undefined: all. */
  private kept({ text, failedOnly }: Filter): Uint8Array | undefined {
    if (!text && !failedOnly) return undefined;
    const keep = new Uint8Array(this.spans.length);
    for (let i = this.spans.length - 1; i >= 0; i--) {
      const span = this.spans[i]!;
      if ((!text || span.name.toLowerCase().includes(text)) && (!failedOnly || span.failed)) keep[i] = 1;
      if (keep[i] && span.parent >= 0) keep[span.parent] = 1;
    }
    return keep;
  }

  /** The rows to show, in order: a filter shows its matches whether their parents are open or not. */
  visible(filter: Filter): number[] {
    const keep = this.kept(filter);
    const stack = [...this.roots].reverse();
    const rows: number[] = [];
    for (let i = stack.pop(); i !== undefined; i = stack.pop()) {
      if (keep && !keep[i]) continue;
      rows.push(i);
      if (keep || this.isOpen(i)) stack.push(...[...this.children[i]!].reverse());
    }
    return rows;
  }
}
