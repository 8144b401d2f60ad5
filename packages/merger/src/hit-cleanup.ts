import { removeAt } from "./attribute-path.js";
import { isRecord } from "./node-answer.js";
import type { MergeUndo } from "./plan-shard-query.js";
import type { Hit } from "./types.js";

const RESERVED_PREFIX = "_miroir_";

/** Sets a field, a `__proto__` one too (an assignment would set the copy's prototype). */
function setField(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
}

/** A copy without `_miroir_*` keys (built key by key: deleting would slow the object down). */
function withoutReserved(object: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key in object) {
    if (key.startsWith(RESERVED_PREFIX)) continue;
    setField(copy, key, object[key]);
  }
  return copy;
}

/** `_formatted` / `_matchesPosition` as the client sees them: no `_miroir_*` key inside. */
function cleanedNested(value: unknown): unknown {
  return isRecord(value) ? withoutReserved(value) : value;
}

/** Whether the hit field `key` reaches the client (before the attributes Miroir added). */
function isShown(key: string, undo: MergeUndo): boolean {
  if (key.charCodeAt(0) !== 95 /* "_" */) return true;
  if (key === "_rankingScore") return undo.keepRankingScore;
  if (key === "_rankingScoreDetails") return undo.keepRankingScoreDetails;
  return !key.startsWith(RESERVED_PREFIX);
}

/**
 * The hit as the client must see it: no `_miroir_*` field anywhere (document, `_formatted`,
 * `_matchesPosition`), no attribute Miroir added, scores only when the client asked.
 * Builds a copy, so node answers stay untouched; key order is kept.
 */
export function clientHit(hit: Hit, undo: MergeUndo): Hit {
  const copy: Hit = {};
  for (const key in hit) {
    const value = hit[key];
    if (key.charCodeAt(0) === 95 /* "_" */) {
      // Identity checks first: every hit has these two, and they cost less than startsWith.
      if (key === "_rankingScore") {
        if (undo.keepRankingScore) copy[key] = value;
        continue;
      }
      if (key === "_rankingScoreDetails") {
        if (undo.keepRankingScoreDetails) copy[key] = value;
        continue;
      }
      if (key.startsWith(RESERVED_PREFIX)) continue;
      if (key === "_formatted" || key === "_matchesPosition") {
        copy[key] = cleanedNested(value);
        continue;
      }
    }
    setField(copy, key, value);
  }
  if (undo.addedAttributes.length > 0) {
    const formatted = copy._formatted;
    for (const attribute of undo.addedAttributes) {
      removeAt(copy, attribute);
      if (isRecord(formatted)) removeAt(formatted, attribute);
    }
  }
  return copy;
}

/** A copy of a hit of one known shape (its keys, in order), made by an object literal. */
type ShapeCopy = (hit: Hit, cleanNested: (value: unknown) => unknown) => Hit;

interface Shape {
  /** The hit's keys in their order, as `for…in` lists them. */
  readonly keys: readonly string[];
  /** Which scores the copy keeps (`scoresKept`). */
  readonly scores: number;
  readonly copy: ShapeCopy;
}

function scoresKept(undo: MergeUndo): number {
  return (undo.keepRankingScore ? 1 : 0) + (undo.keepRankingScoreDetails ? 2 : 0);
}

/** Shapes with more keys are copied key by key (a literal that long gains little). */
const MAX_SHAPE_KEYS = 64;
/** Shapes remembered across merges; past this many the memory starts over. */
const MAX_SHAPES = 256;
/** Each shape seen, by its keys and the scores kept: its copier once seen twice, else null. */
const shapes = new Map<string, Shape | null>();
/** Whether this process lets code be compiled from text (a flag of Node's can forbid it). */
let codeGeneration = true;

/**
 * The copier of hits with exactly `keys`, for hits cleaned by `undo` (no attribute
 * added), or null when the shape is new or cannot be written as a literal. A node's hits
 * share a handful of shapes, so a shape seen a second time gets its copier compiled, then
 * reused by every later merge: building the copy from a literal with the keys written out
 * costs a fraction of storing key by key (the object's layout is known ahead, not
 * discovered store by store). Keys are written as JSON string literals, so no document key
 * can reach the code as anything but a string.
 */
function shapeOf(keys: readonly string[], undo: MergeUndo): Shape | null {
  // A `__proto__` key in a literal would set the prototype instead of a field.
  if (!codeGeneration || keys.length > MAX_SHAPE_KEYS || keys.includes("__proto__")) return null;
  const scores = scoresKept(undo);
  const name = `${scores}${keys.join("\u0000")}`;
  const known = shapes.get(name);
  if (known !== null && known !== undefined) return known;
  if (shapes.size >= MAX_SHAPES) shapes.clear();
  if (known === undefined) {
    shapes.set(name, null);
    return null;
  }
  const fields: string[] = [];
  for (const key of keys) {
    if (!isShown(key, undo)) continue;
    const literal = JSON.stringify(key);
    const nested = key === "_formatted" || key === "_matchesPosition";
    fields.push(`${literal}: ${nested ? `c(h[${literal}])` : `h[${literal}]`}`);
  }
  let copy: ShapeCopy;
  try {
    copy = new Function("h", "c", `return { ${fields.join(", ")} };`) as ShapeCopy;
  } catch {
    // Code generation refused (`--disallow-code-generation-from-strings`): key by key.
    codeGeneration = false;
    return null;
  }
  const shape = { keys: [...keys], scores, copy };
  shapes.set(name, shape);
  return shape;
}

/** Whether `hit` has exactly the keys of `shape`, in order (keys compare by identity first). */
function hasShape(hit: Hit, shape: Shape): boolean {
  const keys = shape.keys;
  let at = 0;
  for (const key in hit) {
    if (keys[at] !== key) return false;
    at++;
  }
  return at === keys.length;
}

function keysOf(hit: Hit): string[] {
  const keys: string[] = [];
  for (const key in hit) keys.push(key);
  return keys;
}

/** Shapes the last merges used (their answers' few shapes), tried first, most recent first. */
const RECENT_SHAPES = 8;
const recent: Shape[] = [];
/** Past this many shape misses in one merge, the hits are too varied: copied key by key. */
const MAX_SHAPE_MISSES = 16;

function recentShape(hit: Hit, scores: number): Shape | undefined {
  for (const shape of recent) if (shape.scores === scores && hasShape(hit, shape)) return shape;
  return undefined;
}

/**
 * `clientHit` for many hits cleaned alike: the hits of a node answer share their shape, so
 * each is copied by the compiled literal of its shape (`shapeOf`) once the shape is known.
 * Attributes Miroir added to the query are removed by `clientHit` itself.
 */
export function clientHitCleaner(undo: MergeUndo): (hit: Hit) => Hit {
  if (undo.addedAttributes.length > 0) return (hit) => clientHit(hit, undo);
  const scores = scoresKept(undo);
  let last: Shape | undefined;
  let misses = 0;
  return (hit) => {
    if (last !== undefined && hasShape(hit, last)) return last.copy(hit, cleanedNested);
    const known = recentShape(hit, scores);
    if (known !== undefined) {
      last = known;
      return known.copy(hit, cleanedNested);
    }
    if (misses >= MAX_SHAPE_MISSES) return clientHit(hit, undo);
    misses++;
    const shape = shapeOf(keysOf(hit), undo);
    if (shape === null) return clientHit(hit, undo);
    if (recent.length === RECENT_SHAPES) recent.pop();
    recent.unshift(shape);
    last = shape;
    return shape.copy(hit, cleanedNested);
  };
}
