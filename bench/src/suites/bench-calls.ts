/**
 * The JSON calls the cluster suites make to Miroir or straight to a node: each fails loudly
 * on any answer but the one expected, so a suite never times a path that answered an error.
 */

/**
 * Sends `body` as JSON and answers the parsed reply. A non-empty `key` goes as the bearer
 * key, and to `/_miroir/…` routes also as the admin key.
 */
export async function send(
  url: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== "") headers.authorization = `Bearer ${key}`;
  if (key !== "" && path.startsWith("/_miroir/")) headers["x-admin-key"] = key;
  const answer = await fetch(`${url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!answer.ok) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
  return answer.json();
}

/** Posts documents as NDJSON (no key) and answers the enqueued task. */
export async function sendNdjson(
  url: string,
  path: string,
  documents: readonly object[],
): Promise<unknown> {
  const answer = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-ndjson" },
    body: documents.map((document) => JSON.stringify(document)).join("\n"),
  });
  if (answer.status !== 202) throw new Error(`${path} answered ${answer.status}`);
  return answer.json();
}

/**
 * Polls the task of an enqueued answer every 10 ms until it succeeds; throws when it fails,
 * is canceled or is still running after `boundMs`.
 */
export async function waitTask(
  url: string,
  key: string,
  enqueued: unknown,
  boundMs = 600_000,
): Promise<void> {
  const { taskUid } = enqueued as { taskUid: number };
  const deadline = Date.now() + boundMs;
  while (Date.now() < deadline) {
    const task = (await send(url, key, "GET", `/tasks/${taskUid}`)) as { status: string };
    if (task.status === "succeeded") return;
    if (task.status === "failed" || task.status === "canceled") {
      throw new Error(`task ${taskUid} ${task.status}: ${JSON.stringify(task)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`task ${taskUid} did not finish in ${boundMs / 1000} s`);
}

/** Creates `index` (primary key `id`) through `url` and loads `documents` in NDJSON batches. */
export async function loadIndex(
  url: string,
  index: string,
  documents: number,
  batchSize: number,
  make: (count: number, offset: number) => readonly object[],
): Promise<void> {
  await waitTask(
    url,
    "",
    await send(url, "", "POST", "/indexes", { uid: index, primaryKey: "id" }),
  );
  for (let loaded = 0; loaded < documents; loaded += batchSize) {
    const batch = make(Math.min(batchSize, documents - loaded), loaded);
    await waitTask(url, "", await sendNdjson(url, `/indexes/${index}/documents`, batch));
  }
}
