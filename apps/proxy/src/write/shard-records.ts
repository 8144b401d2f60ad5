import { SHARD_FIELD } from "@miroir/merger";
import {
  VERSION_DIGITS,
  VERSION_PLACEHOLDER,
  versionDigits,
} from "../convergence/version-clock.js";

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
 *
 * Every record also carries the write's version (`versionField`), whose 16 digits are
 * reserved now and written by `stamp` once the write is ordered among the others; with no
 * version field (anti-entropy off) records carry only `_miroir_shard`.
 */
export class ShardRecords {
  private outputs: (ShardOutput | undefined)[] = [];
  private readonly openings: DataView[] = [];
  /** Where each record's version digits go: a block and an offset in it. */
  private stampBlocks: Buffer[] = [];
  private stampOffsets: number[] = [];
  readonly versionField: string | null;

  constructor(versionField: string | null) {
    this.versionField = versionField;
  }

  /**
   * `{"_miroir_shard":N,"<versionField>":<placeholder>,` and `source[start..end)`, an
   * object's text after its opening brace; `source` is the bytes `view` shows.
   */
  addOpened(shard: number, view: DataView, start: number, end: number): void {
    const opening = this.openingOf(shard);
    const output = this.reserve(shard, opening.byteLength + end - start);
    const { current, currentView } = output;
    const at = copyBytes(opening, 0, opening.byteLength, current, currentView, output.used);
    if (this.versionField !== null) {
      this.stampBlocks.push(current);
      this.stampOffsets.push(at - VERSION_DIGITS - 1);
    }
    output.used = copyBytes(view, start, end, current, currentView, at);
  }

  /** A record built as text whose version placeholder (if any) starts at byte `versionAt`. */
  addText(shard: number, record: string, versionAt: number | null): void {
    const output = this.reserve(shard, Buffer.byteLength(record));
    if (versionAt !== null) {
      this.stampBlocks.push(output.current);
      this.stampOffsets.push(output.used + versionAt);
    }
    output.used += output.current.write(record, output.used);
  }

  /**
   * Writes `version` into every record kept so far (those of `bodies()` included): called
   * once the write's place in the order is known, right before it is sent.
   */
  stamper(): (version: number) => void {
    const blocks = this.stampBlocks;
    const offsets = this.stampOffsets;
    return (version) => {
      const digits = versionDigits(version);
      for (let i = 0; i < blocks.length; i++) {
        digits.copy(blocks[i] as Buffer, offsets[i] as number);
      }
    };
  }

  /** `{"_miroir_shard":N,"<versionField>":<placeholder>,`, built once per shard. */
  private openingOf(shard: number): DataView {
    let opening = this.openings[shard];
    if (opening === undefined) {
      const version =
        this.versionField === null ? "" : `"${this.versionField}":${VERSION_PLACEHOLDER},`;
      opening = viewOf(Buffer.from(`{${SHARD_PREFIX}${shard},${version}`));
      this.openings[shard] = opening;
    }
    return opening;
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

  /** Drops every record and its stamp positions (a rejected batch). */
  discard(): void {
    this.outputs = [];
    this.stampBlocks = [];
    this.stampOffsets = [];
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

/** A record's text and the byte where its version placeholder starts (null: none). */
export interface StampedText {
  readonly record: string;
  readonly versionAt: number | null;
}

/**
 * A serialised object's text with `"_miroir_shard":N` and the version placeholder spliced
 * after its opening brace: the text is kept as sent, never re-serialised.
 */
export function withShard(json: string, shard: number, versionField: string | null): StampedText {
  const brace = json.indexOf("{");
  let next = brace + 1;
  while (next < json.length && isJsonWhitespace(json.charCodeAt(next))) next += 1;
  const separator = json.charCodeAt(next) === 125 /* } */ ? "" : ",";
  if (versionField === null) {
    return {
      record: `${json.slice(0, brace + 1)}${SHARD_PREFIX}${shard}${separator}${json.slice(brace + 1)}`,
      versionAt: null,
    };
  }
  // Only JSON whitespace precedes the brace, so characters and bytes agree up to it.
  const head = `${json.slice(0, brace + 1)}${SHARD_PREFIX}${shard},"${versionField}":`;
  return {
    record: `${head}${VERSION_PLACEHOLDER}${separator}${json.slice(brace + 1)}`,
    versionAt: head.length,
  };
}

function isJsonWhitespace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}
