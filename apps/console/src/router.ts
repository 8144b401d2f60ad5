import { useEffect, useState } from "preact/hooks";

/** Where the proxy serves the console. */
export const BASE = "/_miroir/ui";

export interface Route {
  readonly path: string;
  readonly title: string;
}

/** The console's pages, in navigation order. */
export const ROUTES: readonly Route[] = [
  { path: BASE, title: "Fleet" },
  { path: `${BASE}/shards`, title: "Shards" },
  { path: `${BASE}/indexes`, title: "Indexes" },
  { path: `${BASE}/tasks`, title: "Tasks" },
  { path: `${BASE}/operations`, title: "Operations" },
  { path: `${BASE}/search`, title: "Search preview" },
];

/** The route a path shows; `null` for a path under the console that names no page. */
export function routeOf(pathname: string): Route | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  return ROUTES.find((route) => route.path === path) ?? null;
}

/** Shows another page without reloading (the keys stay in memory and session storage). */
export function navigate(path: string): void {
  if (path === location.pathname) return;
  history.pushState(null, "", path);
  dispatchEvent(new PopStateEvent("popstate"));
}

/** The current path, following links and the browser's back and forward buttons. */
export function usePathname(): string {
  const [pathname, setPathname] = useState(location.pathname);
  useEffect(() => {
    const follow = () => setPathname(location.pathname);
    addEventListener("popstate", follow);
    return () => removeEventListener("popstate", follow);
  }, []);
  return pathname;
}
