import { SHARD_FIELD } from "@miroir/merger";

const LINE_FEED = 0x0a;
const SHARD_PREFIX = `"${SHARD_FIELD}":`;
/** A shard's first block; later ones double, up to the largest. */
const FIRST_BLOCK = 4 * 1024;
const LARGEST_BLOCK = 1024 * 1024;

interface ShardOutput {
  /** Full blocks, trimmed to what they hold. */
  readonly blocks: Buffer[];
  current: Buffer;
  currentView: DataView;
  used: number;
}

/**
 * Each shard's records, in acceptance order, written as UTF-8 lines as they are accepted:
 * a record is copied while its line is still in cache, and the payload's pieces need not
 * outlive their lines. Blocks grow geometrically and are sent as they are: nothing is
 * copied twice.
 */
export class ShardRecords {
  private outputs: (ShardOutput | undefined)[] = [];

  /**
   * `{"_miroir_shard":N,` and `source[start..end)`, an object's text after its opening
   * brace; `source` is the bytes `view` shows.
   */
  addOpened(shard: number, view: DataView, start: number, end: number): void {
    const opening = shardOpening(shard);
    const output = this.reserve(shard, opening.byteLength + end - start);
    const { current, currentView } = output;
    const at = copyBytes(opening, 0, opening.byteLength, current, currentView, output.used);
    output.used = copyBytes(view, start, end, current, currentView, at);
  }

  /** A record built as text. */
  addText(shard: number, record: string): void {
    const output = this.reserve(shard, Buffer.byteLength(record));
    output.used += output.current.write(record, output.used);
  }

  /**
   * Each shard's records joined by line breaks, as the blocks that hold them (sent one
   * after the other, never joined again); forgets them.
   */
  bodies(): Map<number, readonly Uint8Array[]> {
    const bodies = new Map<number, readonly Uint8Array[]>();
    for (let shard = 0; shard < this.outputs.length; shard++) {
      const output = this.outputs[shard];
      if (output === undefined) continue;
      output.blocks.push(output.current.subarray(0, output.used));
      bodies.set(shard, output.blocks);
    }
    this.forget();
    return bodies;
  }

  forget(): void {
    this.outputs = [];
  }

  /** The shard's output with room for a record of `length` bytes and the line break before it. */
  private reserve(shard: number, length: number): ShardOutput {
    let output = this.outputs[shard];
    if (output === undefined) {
      const current = Buffer.allocUnsafeSlow(Math.max(FIRST_BLOCK, length));
      output = { blocks: [], current, currentView: viewOf(current), used: 0 };
      this.outputs[shard] = output;
    } else {
      if (output.current.length - output.used < length + 1) {
        output.blocks.push(output.current.subarray(0, output.used));
        const next = Math.min(LARGEST_BLOCK, output.current.length * 2);
        output.current = Buffer.allocUnsafeSlow(Math.max(next, length + 1));
        output.currentView = viewOf(output.current);
        output.used = 0;
      }
      output.current[output.used++] = LINE_FEED;
    }
    return output;
  }
}

/** A view to read or write a buffer's bytes four at a time. */
export function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** From this length on, a native copy beats four bytes a step, despite its view per call. */
const NATIVE_COPY_LENGTH = 256;

/**
 * Copies `source[start..end)` into `target` (which `targetView` shows) at `at`; answers
 * where the copy ends. Short records go four bytes a step: a native copy needs a view of
 * its source each time.
 */
function copyBytes(
  source: DataView,
  start: number,
  end: number,
  target: Buffer,
  targetView: DataView,
  at: number,
): number {
  if (end - start >= NATIVE_COPY_LENGTH) {
    target.set(new Uint8Array(source.buffer, source.byteOffset + start, end - start), at);
    return at + end - start;
  }
  let i = start;
  for (; i + 4 <= end; i += 4, at += 4) targetView.setUint32(at, source.getUint32(i));
  for (; i < end; i++, at++) targetView.setUint8(at, source.getUint8(i));
  return at;
}

const openings: DataView[] = [];

/** `{"_miroir_shard":N,`, built once per shard. */
function shardOpening(shard: number): DataView {
  let opening = openings[shard];
  if (opening === undefined) {
    opening = viewOf(Buffer.from(`{${SHARD_PREFIX}${shard},`));
    openings[shard] = opening;
  }
  return opening;
}

/**
 * A serialised object's text with `"_miroir_shard":N` spliced after its opening brace:
 * the text is kept as sent, never re-serialised.
 */
export function withShard(json: string, shard: number): string {
  const brace = json.indexOf("{");
  let next = brace + 1;
  while (next < json.length && isJsonWhitespace(json.charCodeAt(next))) next += 1;
  const separator = json.charCodeAt(next) === 125 /* } */ ? "" : ",";
  return `${json.slice(0, brace + 1)}${SHARD_PREFIX}${shard}${separator}${json.slice(brace + 1)}`;
}

function isJsonWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
