import { type RequestTarget, requestJson } from "./http-request.js";

/** Miroir's admin API under `/_miroir/`, called with the admin key. */
export interface AdminClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

export function createAdminClient(target: RequestTarget): AdminClient {
  return {
    get: (path) => requestJson(target, "GET", `_miroir/${path}`),
    post: (path, body) => requestJson(target, "POST", `_miroir/${path}`, body ?? {}),
    delete: (path) => requestJson(target, "DELETE", `_miroir/${path}`),
  };
}
