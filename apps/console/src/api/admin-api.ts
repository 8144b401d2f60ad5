import { adminKey } from "../session/keys.js";

/** An answer of the admin API that is not a success, with Meilisearch's error fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }

  /** The admin key is missing or wrong. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

type Listener = () => void;
const unauthorizedListeners = new Set<Listener>();

/** Called whenever the admin API refuses the key, so the console can ask for it again. */
export function onUnauthorized(listener: Listener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

/** Calls the admin API under `/_miroir/` with the stored admin key. */
export async function adminCall<T>(
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  const key = adminKey.get();
  if (key !== "") headers["x-admin-key"] = key;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(`/_miroir/${path}`, {
    method: init.method ?? "GET",
    headers,
    cache: "no-store",
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  if (!response.ok) {
    const error = await errorOf(response);
    if (error.unauthorized) for (const listener of unauthorizedListeners) listener();
    throw error;
  }
  const type = response.headers.get("content-type") ?? "";
  return (type.includes("json") ? await response.json() : await response.text()) as T;
}

/** A Meilisearch-shaped error answer as an `ApiError`. */
export async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: unknown; code?: unknown };
    if (typeof body.message === "string") {
      return new ApiError(
        response.status,
        typeof body.code === "string" ? body.code : null,
        body.message,
      );
    }
  } catch {
    // not JSON: the status says it all
  }
  return new ApiError(response.status, null, `HTTP ${response.status}`);
}
