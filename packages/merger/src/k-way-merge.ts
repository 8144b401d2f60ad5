interface Head<K> {
  list: number;
  position: number;
  key: K;
}

/**
 * Lazily merges lists that are each already in order, with a binary heap of list heads:
 * O(taken · log lists), never a sort of everything. Equal items keep list order, so the
 * result is deterministic. `keyOf` is called once per item that reaches a list head.
 */
export class KWayMerge<T, K> {
  private readonly heap: Head<K>[] = [];

  constructor(
    private readonly lists: readonly (readonly T[])[],
    private readonly keyOf: (item: T, list: number) => K,
    private readonly compare: (a: K, b: K) => number,
  ) {
    for (let list = 0; list < lists.length; list++) {
      const items = lists[list] as readonly T[];
      if (items.length === 0) continue;
      this.heap.push({ list, position: 0, key: keyOf(items[0] as T, list) });
      this.siftUp(this.heap.length - 1);
    }
  }

  /** The next item in merged order, or undefined when every list is exhausted. */
  next(): T | undefined {
    const head = this.heap[0];
    if (head === undefined) return undefined;
    const item = (this.lists[head.list] as readonly T[])[head.position] as T;
    this.advance(head);
    return item;
  }

  /** The key of the next item in merged order (what `keyOf` made of it), or undefined. */
  nextKey(): K | undefined {
    const head = this.heap[0];
    if (head === undefined) return undefined;
    const key = head.key;
    this.advance(head);
    return key;
  }

  private advance(head: Head<K>): void {
    const heap = this.heap;
    const items = this.lists[head.list] as readonly T[];
    head.position++;
    if (head.position < items.length) {
      head.key = this.keyOf(items[head.position] as T, head.list);
    } else {
      const last = heap.pop() as Head<K>;
      if (heap.length === 0) return;
      heap[0] = last;
    }
    this.siftDown();
  }

  private before(a: Head<K>, b: Head<K>): boolean {
    const order = this.compare(a.key, b.key);
    return order < 0 || (order === 0 && a.list < b.list);
  }

  private siftUp(start: number): void {
    const heap = this.heap;
    let child = start;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const c = heap[child] as Head<K>;
      const p = heap[parent] as Head<K>;
      if (!this.before(c, p)) return;
      heap[child] = p;
      heap[parent] = c;
      child = parent;
    }
  }

  private siftDown(): void {
    const heap = this.heap;
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let best = parent;
      if (left < heap.length && this.before(heap[left] as Head<K>, heap[best] as Head<K>)) {
        best = left;
      }
      if (right < heap.length && this.before(heap[right] as Head<K>, heap[best] as Head<K>)) {
        best = right;
      }
      if (best === parent) return;
      const swap = heap[best] as Head<K>;
      heap[best] = heap[parent] as Head<K>;
      heap[parent] = swap;
      parent = best;
    }
  }
}
