import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Meilisearch's own test documents, from the shared data folder next to the project. */
const PATH = fileURLToPath(
  new URL("../../../../../shared/meili-data/test_set.json", import.meta.url),
);

export interface TestSetDocument {
  id: number;
  isActive: boolean;
  age: number;
  color: string;
  name: string;
  gender: string;
  tags: string[];
  [field: string]: unknown;
}

export const testSetPresent = existsSync(PATH);

export function loadTestSet(): TestSetDocument[] {
  return JSON.parse(readFileSync(PATH, "utf8")) as TestSetDocument[];
}
