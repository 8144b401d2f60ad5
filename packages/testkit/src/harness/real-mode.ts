/** The Meilisearch binary named by `MEILI_BIN`, if any. */
export function meiliBinary(): string | undefined {
  const bin = process.env.MEILI_BIN;
  return bin === undefined || bin.trim() === "" ? undefined : bin;
}

/** Whether harness nodes are real Meilisearch processes (`MEILI_BIN` is set). */
export function isRealMode(): boolean {
  return meiliBinary() !== undefined;
}
