/**
 * A Miroir task records one node task per key. A write that needs several tasks on one
 * node (create an index, then make `_miroir_shard` filterable) adds keys `node#1`, …;
 * node ids never contain `#`.
 */
export function nodeTaskKey(nodeId: string, step: number): string {
  return step === 0 ? nodeId : `${nodeId}#${step}`;
}

export function nodeOfTaskKey(key: string): string {
  const hash = key.indexOf("#");
  return hash === -1 ? key : key.slice(0, hash);
}
