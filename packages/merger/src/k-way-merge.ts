/**
 * Lazily merges lists that are each already in order, with a binary heap of list heads:
 * O(taken · log lists), never a sort of everything. Equal items keep list order, so the
 * result is deterministic. `keyOf` is called once per item that reaches a list head.
 */
export function* kWayMerge<T, K>(
  lists: readonly (readonly T[])[],
  keyOf: (item: T, list: number) => K,
  compare: (a: K, b: K) => number,
): Generator<{ item: T; key: K; list: number }> {
  interface Head {
    list: number;
    position: number;
    key: K;
  }
  const heap: Head[] = [];
  const before = (a: Head, b: Head): boolean => {
    const order = compare(a.key, b.key);
    return order < 0 || (order === 0 && a.list < b.list);
  };
  const siftUp = (start: number): void => {
    let child = start;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const c = heap[child] as Head;
      const p = heap[parent] as Head;
      if (!before(c, p)) return;
      heap[child] = p;
      heap[parent] = c;
      child = parent;
    }
  };
  const siftDown = (): void => {
    let parent = 0;
    for (;;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let best = parent;
      if (left < heap.length && before(heap[left] as Head, heap[best] as Head)) best = left;
      if (right < heap.length && before(heap[right] as Head, heap[best] as Head)) best = right;
      if (best === parent) return;
      const swap = heap[best] as Head;
      heap[best] = heap[parent] as Head;
      heap[parent] = swap;
      parent = best;
    }
  };
  for (const [list, items] of lists.entries()) {
    const first = items[0];
    if (items.length === 0) continue;
    heap.push({ list, position: 0, key: keyOf(first as T, list) });
    siftUp(heap.length - 1);
  }
  while (heap.length > 0) {
    const head = heap[0] as Head;
    const items = lists[head.list] as readonly T[];
    yield { item: items[head.position] as T, key: head.key, list: head.list };
    const position = head.position + 1;
    if (position < items.length) {
      heap[0] = { list: head.list, position, key: keyOf(items[position] as T, head.list) };
    } else {
      const last = heap.pop() as Head;
      if (heap.length === 0) return;
      heap[0] = last;
    }
    siftDown();
  }
}
