import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Meilisearch's sample dumps (`shared/meili-data/dumps`). */
export const SAMPLE_DUMPS = fileURLToPath(
  new URL("../../../../../shared/meili-data/dumps/", import.meta.url),
);

/**
 * The real Meilisearch a dump import is compared with: `MEILI_BIN`, or the shared binary
 * when the cluster itself is emulated.
 */
export function referenceBinary(): string | undefined {
  const named = process.env.MEILI_BIN?.trim();
  if (named !== undefined && named !== "") return named;
  const shared = fileURLToPath(
    new URL("../../../../../shared/meilisearch/meilisearch", import.meta.url),
  );
  return existsSync(shared) ? shared : undefined;
}

export type Fetch = (path: string, init?: RequestInit) => Promise<Response>;

async function body<T>(answer: Response, what: string): Promise<T> {
  if (!answer.ok) throw new Error(`${what}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

/** Every document of an index, by primary key, through `/documents/fetch` pages. */
export async function allDocuments(
  call: Fetch,
  uid: string,
  primaryKey: string,
): Promise<Map<string, unknown>> {
  const documents = new Map<string, unknown>();
  for (let offset = 0; offset < 10_000_000; offset += 1000) {
    const page = await body<{ results: Record<string, unknown>[]; total: number }>(
      await call(`/indexes/${uid}/documents/fetch`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ offset, limit: 1000 }),
      }),
      `documents of ${uid}`,
    );
    for (const document of page.results) documents.set(String(document[primaryKey]), document);
    if (page.results.length < 1000) break;
  }
  return documents;
}

export interface IndexView {
  readonly uid: string;
  readonly primaryKey: string | null;
}

export async function indexesOf(call: Fetch): Promise<IndexView[]> {
  const page = await body<{ results: IndexView[] }>(await call("/indexes?limit=1000"), "indexes");
  return page.results
    .map(({ uid, primaryKey }) => ({ uid, primaryKey }))
    .sort((a, b) => a.uid.localeCompare(b.uid));
}

export async function settingsOf(call: Fetch, uid: string): Promise<Record<string, unknown>> {
  return body(await call(`/indexes/${uid}/settings`), `settings of ${uid}`);
}

export interface KeyView {
  readonly uid: string;
  readonly key: string;
  readonly name: string | null;
  readonly description: string | null;
  readonly actions: string[];
  readonly indexes: string[];
  readonly expiresAt: string | null;
}

export async function keyOf(call: Fetch, uid: string): Promise<KeyView | null> {
  const answer = await call(`/keys/${uid}`);
  if (answer.status === 404) return null;
  const key = await body<KeyView>(answer, `key ${uid}`);
  return {
    uid: key.uid,
    key: key.key,
    name: key.name,
    description: key.description,
    actions: [...key.actions].sort(),
    indexes: [...key.indexes].sort(),
    expiresAt: key.expiresAt,
  };
}

export interface ImportAnswer {
  readonly id: string;
  readonly status: string;
  readonly documents: number;
  readonly totalDocuments: number | null;
  readonly failedTasks: number[];
  readonly error: string | null;
  readonly runs: number;
  readonly checkpoint: { source: number; offset: number };
}

/** Polls the import until it is no longer processing (bounded). */
export async function importEnded(
  call: Fetch,
  id: string,
  timeoutMs = 120_000,
): Promise<ImportAnswer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await body<ImportAnswer>(
      await call(`/_miroir/dumps/import/${id}`),
      "import status",
    );
    if (answer.status !== "processing") return answer;
    if (Date.now() > deadline)
      throw new Error(`import ${id} still processing: ${JSON.stringify(answer)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
