/** A merged read: the body the client receives and the headers that go with it. */
export interface ReadAnswer {
  readonly body: unknown;
  readonly headers: Record<string, string>;
}

/** The 200 JSON answer of a merged read. */
export function readResponse(answer: ReadAnswer): Response {
  return new Response(JSON.stringify(answer.body), {
    status: 200,
    headers: { "content-type": "application/json", ...answer.headers },
  });
}
