// Items ordered by when they were last heard from: moving one to the front, removing one and walking
// from the most recent are O(1) each, so following thousands of open builds stays linear.

interface Node<T> {
  item: T;
  newer?: Node<T>;
  older?: Node<T>;
}

export class RecencyList<T> {
  private readonly nodes = new Map<T, Node<T>>();
  private newest?: Node<T>;
  private oldest?: Node<T>;

  get size(): number {
    return this.nodes.size;
  }

  has(item: T): boolean {
    return this.nodes.has(item);
  }

  /** `item` was just heard from: it becomes the most recent (added when new). */
  touch(item: T): void {
    if (this.newest?.item === item) return; // the common case: a build printing line after line
    this.remove(item);
    const node: Node<T> = { item, ...(this.newest ? { older: this.newest } : {}) };
    if (this.newest) this.newest.newer = node;
    this.newest = node;
    this.oldest ??= node;
    this.nodes.set(item, node);
  }

  remove(item: T): void {
    const node = this.nodes.get(item);
    if (!node) return;
    this.nodes.delete(item);
    if (node.newer) node.newer.older = node.older;
    else this.newest = node.older;
    if (node.older) node.older.newer = node.newer;
    else this.oldest = node.newer;
  }

  /** From the most recently heard to the least. */
  *recentFirst(): Generator<T> {
    for (let node = this.newest; node; node = node.older) yield node.item;
  }
}

/** Up to `count` items from the lists in turn, each most recent first, leaving out those in `skip`. */
export function mostRecent<T>(lists: readonly RecencyList<T>[], count: number, skip: ReadonlySet<T> = new Set()): T[] {
  const taken: T[] = [];
  for (const list of lists)
    for (const item of list.recentFirst()) {
      if (taken.length >= count) return taken;
      if (!skip.has(item)) taken.push(item);
    }
  return taken;
}
