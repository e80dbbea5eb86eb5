// The span ids a run's spans.jsonl was last given, so a batch appended later cannot reuse one
// (src/export/span-stream.ts). Bounded: a run of thousands of checks with many in-test spans would
// otherwise hold every id it ever wrote. The bound loses nothing real: every id nixotel writes is 64
// random bits, its own or given to a test's span as it joined the run's trace (src/ingest/ingest.ts);
// only ids a test chose in the run's own trace (an interactive run passes TRACEPARENT down) are kept
// as they were, and those come with the check they belong to, within the last ids written.

/** The most ids remembered: 65,536 × ~80 bytes ≈ 5 MB at most. */
export const REMEMBERED_IDS = 65_536;

/** A set that forgets its oldest ids beyond `limit` (a Set iterates in insertion order). */
export class RecentIds {
  private readonly ids = new Set<string>();

  constructor(private readonly limit = REMEMBERED_IDS) {}

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  add(id: string): void {
    this.ids.add(id);
    if (this.ids.size <= this.limit) return;
    const oldest = this.ids.values().next().value;
    if (oldest !== undefined) this.ids.delete(oldest);
  }
}
