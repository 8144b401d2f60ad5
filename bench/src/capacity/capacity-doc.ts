import { readFile, writeFile } from "node:fs/promises";
import { REPO_ROOT } from "../repo-paths.js";

export const CAPACITY_PATH = `${REPO_ROOT}docs/capacity.md`;

const begin = (name: string) => `<!-- capacity:${name} -->`;
const end = (name: string) => `<!-- /capacity:${name} -->`;

/** The generated blocks of a capacity document, by name (the text between its markers). */
export function blocksOf(document: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of document.matchAll(
    /<!-- capacity:([a-z0-9-]+) -->\n([\s\S]*?)\n<!-- \/capacity:\1 -->/g,
  )) {
    blocks.set(match[1] as string, match[2] as string);
  }
  return blocks;
}

/** The document with each block's text replaced; a block the document lacks is an error. */
export function withBlocks(document: string, blocks: ReadonlyMap<string, string>): string {
  let text = document;
  for (const [name, body] of blocks) {
    const from = text.indexOf(begin(name));
    const to = text.indexOf(end(name));
    if (from < 0 || to < from) throw new Error(`docs/capacity.md has no block ${name}`);
    text = `${text.slice(0, from + begin(name).length)}\n${body}\n${text.slice(to)}`;
  }
  return text;
}

/** Rewrites the generated blocks of docs/capacity.md. */
export async function writeCapacityDoc(
  blocks: ReadonlyMap<string, string>,
  path = CAPACITY_PATH,
): Promise<void> {
  await writeFile(path, withBlocks(await readFile(path, "utf8"), blocks));
}
