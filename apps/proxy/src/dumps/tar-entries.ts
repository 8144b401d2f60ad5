/**
 * A streaming reader of tar archives (ustar, pax and GNU long names): each entry's bytes
 * are handed out as they arrive and never held whole. An entry's body must be read to its
 * end, or left, before the next entry is asked for (leaving it skips the rest).
 */

const BLOCK = 512;

export interface TarEntry {
  /** The path inside the archive, without a leading `./`. */
  readonly path: string;
  readonly type: "file" | "directory" | "other";
  readonly size: number;
  /** The entry's bytes, chunk by chunk (empty for anything but a file). */
  readonly body: AsyncIterable<Buffer>;
}

/** Reads exact byte counts out of a chunked stream, holding at most one chunk. */
class ChunkReader {
  private pending: Buffer = Buffer.alloc(0);
  private readonly source: AsyncIterator<Uint8Array>;
  private ended = false;

  constructor(source: AsyncIterable<Uint8Array>) {
    this.source = source[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.ended) return false;
    const next = await this.source.next();
    if (next.done === true) {
      this.ended = true;
      return false;
    }
    const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    return true;
  }

  /** Exactly `n` bytes (n small, a header block), or null at the end of the stream. */
  async exactly(n: number): Promise<Buffer | null> {
    while (this.pending.length < n) {
      if (!(await this.fill())) {
        if (this.pending.length === 0) return null;
        throw new Error("the archive ends in the middle of an entry");
      }
    }
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return out;
  }

  /** Up to `n` bytes as they come (at least one), for bodies. */
  async upTo(n: number): Promise<Buffer> {
    if (this.pending.length === 0 && !(await this.fill())) {
      throw new Error("the archive ends in the middle of an entry");
    }
    const take = Math.min(n, this.pending.length);
    const out = this.pending.subarray(0, take);
    this.pending = this.pending.subarray(take);
    return out;
  }
}

function text(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString("utf8");
}

function octal(block: Buffer, offset: number, length: number): number {
  const field = block.subarray(offset, offset + length);
  if ((field[0] ?? 0) & 0x80) {
    // GNU base-256 for sizes of 8 GiB and more.
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const digits = text(block, offset, length).trim();
  return digits === "" ? 0 : Number.parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  return sum === octal(block, 148, 8);
}

/** The `path` record of a pax extended header, if it has one. */
function paxPath(records: Buffer): string | undefined {
  let at = 0;
  let path: string | undefined;
  while (at < records.length) {
    const space = records.indexOf(0x20, at);
    if (space === -1) break;
    const length = Number.parseInt(records.subarray(at, space).toString("utf8"), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = records.subarray(space + 1, at + length - 1).toString("utf8");
    const eq = record.indexOf("=");
    if (eq !== -1 && record.slice(0, eq) === "path") path = record.slice(eq + 1);
    at += length;
  }
  return path;
}

function normalised(path: string): string {
  let out = path;
  while (out.startsWith("./")) out = out.slice(2);
  return out.replace(/\/+$/, "");
}

/** The entries of a tar stream (already decompressed), in archive order. */
export async function* tarEntries(source: AsyncIterable<Uint8Array>): AsyncGenerator<TarEntry> {
  const reader = new ChunkReader(source);
  let longName: string | undefined;
  for (;;) {
    const header = await reader.exactly(BLOCK);
    if (header === null) return;
    if (header.every((byte) => byte === 0)) continue; // end-of-archive blocks
    if (!checksumOk(header)) throw new Error("not a tar archive (bad header checksum)");
    const size = octal(header, 124, 12);
    const flag = String.fromCharCode(header[156] ?? 0);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    if (flag === "x" || flag === "L" || flag === "g") {
      // Small metadata entries: read whole (bounded by the archive's own headers).
      const data = await reader.exactly(padded);
      if (data === null) throw new Error("the archive ends in the middle of an entry");
      const content = data.subarray(0, size);
      if (flag === "x") longName = paxPath(content) ?? longName;
      if (flag === "L") longName = text(content, 0, content.length);
      continue;
    }
    const prefix = text(header, 345, 155);
    const name =
      longName ?? (prefix === "" ? text(header, 0, 100) : `${prefix}/${text(header, 0, 100)}`);
    longName = undefined;
    const type =
      flag === "0" || flag === "\0" || flag === "7" ? "file" : flag === "5" ? "directory" : "other";
    let remaining = size;
    let padding = padded - size;
    let consumed = false;
    const body: AsyncIterable<Buffer> = {
      async *[Symbol.asyncIterator]() {
        if (consumed) throw new Error("an entry's body is read once");
        consumed = true;
        while (remaining > 0) {
          const chunk = await reader.upTo(remaining);
          remaining -= chunk.length;
          yield chunk;
        }
      },
    };
    yield { path: normalised(name), type, size, body };
    while (remaining > 0) remaining -= (await reader.upTo(remaining)).length;
    while (padding > 0) padding -= (await reader.upTo(padding)).length;
  }
}
