import {
  asciiForm,
  type CountedFacetValue,
  compareBytes,
  compareNormalised,
  countedFacetValue,
  LINEAR_SCAN_CANDIDATES,
  mayBeNumeric,
  NORMALISED,
} from "./facet-value-order.js";

/**
 * One node's values of one facet in the merged order: parallel arrays, so that the common
 * list (strings already in their normalised form and in order, as a node sends them)
 * costs no object per value.
 */
interface FacetList {
  readonly values: readonly string[];
  readonly counts: readonly number[];
  /** Each value's normalised form (the written form of a number); `values` itself when equal. */
  readonly forms: readonly string[];
  /** Each value's number, NaN for a string; null when the list holds no number. */
  readonly numbers: readonly number[] | null;
  /** No form holds a surrogate: code units order them as code points do. */
  readonly plain: boolean;
  at: number;
}

/**
 * The list as it comes when every value is a string that is its own normalised form and
 * the values are strictly in order — a node's answer — else null.
 */
function orderedPlainList(counts: Record<string, number>): FacetList | null {
  const values: string[] = [];
  const listed: number[] = [];
  let previous: string | null = null;
  for (const value in counts) {
    if (mayBeNumeric(value) || asciiForm(value) !== NORMALISED) return null;
    if (previous !== null && !(previous < value)) return null;
    values.push(value);
    listed.push(counts[value] as number);
    previous = value;
  }
  return { values, counts: listed, forms: values, numbers: null, plain: true, at: 0 };
}

/** Any other list: each value read once, then sorted in the merged order. */
function sortedList(counts: Record<string, number>, byWrittenForm: boolean): FacetList {
  const entries: CountedFacetValue[] = [];
  for (const value in counts) entries.push(countedFacetValue(value, counts[value] as number));
  entries.sort((a, b) => compareEntries(a, b, byWrittenForm));
  let plain = true;
  let anyNumber = false;
  for (const entry of entries) {
    plain &&= entry.plain;
    anyNumber ||= !Number.isNaN(entry.number);
  }
  return {
    values: entries.map((entry) => entry.value),
    counts: entries.map((entry) => entry.count),
    forms: entries.map((entry) => entry.normalised),
    numbers: anyNumber ? entries.map((entry) => entry.number) : null,
    plain,
    at: 0,
  };
}

/** Numbers first (by written form, or by value), then strings by normalised form. */
function compareEntries(a: CountedFacetValue, b: CountedFacetValue, byWrittenForm: boolean) {
  const aNumber = !Number.isNaN(a.number);
  const bNumber = !Number.isNaN(b.number);
  if (aNumber !== bNumber) return aNumber ? -1 : 1;
  if (!aNumber) return compareNormalised(a, b);
  if (byWrittenForm) return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  return a.number - b.number;
}

function numberAt(list: FacetList): number {
  return list.numbers === null ? Number.NaN : (list.numbers[list.at] as number);
}

/** Whether list `a`'s head comes strictly before list `b`'s in the merged order. */
function headBefore(a: FacetList, b: FacetList, byWrittenForm: boolean): boolean {
  const x = a.forms[a.at] as string;
  const y = b.forms[b.at] as string;
  if (a.numbers !== null || b.numbers !== null) {
    const aNumber = numberAt(a);
    const bNumber = numberAt(b);
    const aIsNumber = !Number.isNaN(aNumber);
    if (aIsNumber !== !Number.isNaN(bNumber)) return aIsNumber;
    if (aIsNumber) return byWrittenForm ? x < y : aNumber < bNumber;
  }
  return a.plain && b.plain ? x < y : compareBytes(x, y) < 0;
}

/**
 * Writes into `into`, in order, the values of an alphabetical facet one node holding every
 * document shows (see `nodeFacetValues`), for `maxValues` > 0, read from the nodes' complete lists by a k-way
 * merge that stops once the values shown are known: each value among the first
 * `maxValues` overall is among the first of every node that has it, so the values after
 * the cut are never summed. Equal values (same normalised form) are summed and shown with
 * the first node's spelling. A list that is not in the merged order (a parsed object lists
 * integer-like keys first; a node that counted few candidates orders numbers by their
 * written form) is sorted first.
 */
export function mergeAlphaFacetValues(
  perAnswer: readonly (Record<string, number> | undefined)[],
  maxValues: number,
  candidates: number,
  into: Record<string, number>,
): void {
  const byWrittenForm = candidates <= LINEAR_SCAN_CANDIDATES;
  const lists: FacetList[] = [];
  for (const counts of perAnswer) {
    if (counts === undefined) continue;
    const list = orderedPlainList(counts) ?? sortedList(counts, byWrittenForm);
    if (list.values.length > 0) lists.push(list);
  }
  let shown = 0;
  // Over the facet tree, numbers that alone fill `maxValues` are followed by every string.
  let everyString = false;
  for (;;) {
    let first: FacetList | undefined;
    for (const list of lists) {
      if (list.at === list.values.length) continue;
      if (first === undefined || headBefore(list, first, byWrittenForm)) first = list;
    }
    if (first === undefined) return;
    const form = first.forms[first.at] as string;
    const isNumber = !Number.isNaN(numberAt(first));
    const value = first.values[first.at] as string;
    let count = 0;
    for (const list of lists) {
      while (list.at < list.values.length && list.forms[list.at] === form) {
        count += list.counts[list.at] as number;
        list.at++;
      }
    }
    if (everyString) {
      if (!isNumber) into[value] = count;
      continue;
    }
    into[value] = count;
    shown++;
    if (shown === maxValues) {
      if (byWrittenForm || !isNumber) return;
      everyString = true;
    }
  }
}
