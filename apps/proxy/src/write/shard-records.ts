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
/** Blocks up to this size are cut from shared slabs: one allocation serves many blocks. */
const SLAB = 1024 * 1024;

interface ShardOutput {
  /** Full blocks, trimmed to what they hold. */
  readonly blocks: Buffer[];
  current: Buffer;
  used: number;
  /** Where the version digits of the records in `current` go. */
  stamps: number[];
}

/** A block's records and where their version digits go. */
interface StampedBlock {
  readonly block: Buffer;
  readonly offsets: readonly number[];
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
  private readonly openings: Buffer[] = [];
  /** Blocks left behind, with where their records' version digits go. */
  private stamped: StampedBlock[] = [];
  /** The slab blocks are cut from, and how much of it is taken. */
  private slab: Buffer | null = null;
  private slabUsed = 0;
  readonly versionField: string | null;
  /** Where the version digits start in a shard's opening; -1 with no version field. */
  private readonly stampInOpening: number;

  constructor(versionField: string | null) {
    this.versionField = versionField;
    this.stampInOpening = versionField === null ? -1 : -VERSION_DIGITS - 1;
  }

  /**
   * `{"_miroir_shard":N,"<versionField>":<placeholder>,` and `source[start..end)`, an
   * object's text after its opening brace: two native copies, nothing allocated but a view of the source.
   */
  addOpened(shard: number, source: Uint8Array, start: number, end: number): void {
    const opening = this.openingOf(shard);
    const output = this.reserve(shard, opening.length + end - start);
    const current = output.current;
    const at = output.used + opening.length;
    current.set(opening, output.used);
    if (this.stampInOpening !== -1) output.stamps.push(at + this.stampInOpening);
    current.set(new Uint8Array(source.buffer, source.byteOffset + start, end - start), at);
    output.used = at + end - start;
  }

  /** A record built as text whose version placeholder (if any) starts at byte `versionAt`. */
  addText(shard: number, record: string, versionAt: number | null): void {
    const output = this.reserve(shard, Buffer.byteLength(record));
    if (versionAt !== null) output.stamps.push(output.used + versionAt);
    output.used += output.current.write(record, output.used);
  }

  /**
   * Writes `version` into every record kept so far (those of `bodies()` included): called
   * once the write's place in the order is known, right before it is sent.
   */
  stamper(): (version: number) => void {
    const stamped = this.stamped;
    for (const output of this.outputs) {
      if (output !== undefined && output.stamps.length > 0) this.retire(output);
    }
    return (version) => {
      const digits = versionDigits(version);
      for (const { block, offsets } of stamped) {
        for (const offset of offsets) block.set(digits, offset);
      }
    };
  }

  /** `{"_miroir_shard":N,"<versionField>":<placeholder>,`, built once per shard. */
  private openingOf(shard: number): Buffer {
    let opening = this.openings[shard];
    if (opening === undefined) {
      const version =
        this.versionField === null ? "" : `"${this.versionField}":${VERSION_PLACEHOLDER},`;
      opening = Buffer.from(`{${SHARD_PREFIX}${shard},${version}`);
      this.openings[shard] = opening;
    }
    return opening;
  }

  /** Keeps where the version digits of the output's current block go, for `stamper`. */
  private retire(output: ShardOutput): void {
    if (output.stamps.length > 0) {
      this.stamped.push({ block: output.current, offsets: output.stamps });
      output.stamps = [];
    }
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
    this.slab = null;
  }

  /** Drops every record and its stamp positions (a rejected batch). */
  discard(): void {
    this.outputs = [];
    this.stamped = [];
    this.slab = null;
  }

  /** The shard's output with room for a record of `length` bytes and the line break before it. */
  private reserve(shard: number, length: number): ShardOutput {
    let output = this.outputs[shard];
    if (output === undefined) {
      const current = this.block(Math.max(FIRST_BLOCK, length));
      output = { blocks: [], current, used: 0, stamps: [] };
      this.outputs[shard] = output;
    } else {
      if (output.current.length - output.used < length + 1) {
        output.blocks.push(output.current.subarray(0, output.used));
        this.retire(output);
        const next = Math.min(LARGEST_BLOCK, output.current.length * 2);
        output.current = this.block(Math.max(next, length + 1));
        output.used = 0;
      }
      output.current[output.used++] = LINE_FEED;
    }
    return output;
  }

  /**
   * A new block of `size` bytes: cut from the current slab when it fits (a fresh slab
   * when it does not), allocated alone when it is large. Allocations of memory outside
   * V8's heap are few, and so are the collections they prompt.
   */
  private block(size: number): Buffer {
    if (size > SLAB / 4) return Buffer.allocUnsafeSlow(size);
    if (this.slab === null || this.slab.length - this.slabUsed < size) {
      this.slab = Buffer.allocUnsafeSlow(SLAB);
      this.slabUsed = 0;
    }
    const block = this.slab.subarray(this.slabUsed, this.slabUsed + size);
    this.slabUsed += size;
    return block;
  }
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
