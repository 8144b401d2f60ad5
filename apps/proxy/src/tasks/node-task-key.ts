/**
 * A Miroir task records one node task per key. A write that needs several tasks on one
 * node (create an index, then make `_miroir_shard` filterable) adds keys `node#1`, …; a
 * document write sent in counting parts keys them `node#p0`, `node#p1`, …; node ids
 * never contain `#`.
 */
export function nodeTaskKey(nodeId: string, step: number): string {
  return step === 0 ? nodeId : `${nodeId}#${step}`;
}

export function nodeOfTaskKey(key: string): string {
  const hash = key.indexOf("#");
  return hash === -1 ? key : key.slice(0, hash);
}

export function partTaskKey(nodeId: string, part: number): string {
  return `${nodeId}#p${part}`;
}

/** The counting part of a key made by `partTaskKey`, else undefined. */
export function partOfTaskKey(key: string): number | undefined {
  const at = key.indexOf("#p");
  return at === -1 ? undefined : Number(key.slice(at + 2));
}
