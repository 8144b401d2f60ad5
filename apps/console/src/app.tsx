import { useEffect, useState } from "preact/hooks";
import { onUnauthorized } from "./api/admin-api.js";
import { KeyForm } from "./components/key-form.js";
import { FleetPage } from "./pages/fleet-page.js";
import { IndexesPage } from "./pages/indexes-page.js";
import { OperationsPage } from "./pages/operations-page.js";
import { SearchPage } from "./pages/search-page.js";
import { ShardsPage } from "./pages/shards-page.js";
import { TasksPage } from "./pages/tasks-page.js";
import { BASE, navigate, ROUTES, routeOf, usePathname } from "./router.js";
import { adminKey } from "./session/keys.js";

const PAGES = {
  [BASE]: FleetPage,
  [`${BASE}/shards`]: ShardsPage,
  [`${BASE}/indexes`]: IndexesPage,
  [`${BASE}/tasks`]: TasksPage,
  [`${BASE}/operations`]: OperationsPage,
  [`${BASE}/search`]: SearchPage,
} as const;

/**
 * The console: a navigation bar and one page. Every admin call carries the admin key
 * kept in session storage; when the admin API refuses it, the key is asked again (once:
 * the pages reload with the new key).
 */
export function App() {
  const pathname = usePathname();
  const route = routeOf(pathname);
  const [keyRefused, setKeyRefused] = useState(false);
  const [generation, setGeneration] = useState(0);
  useEffect(() => onUnauthorized(() => setKeyRefused(true)), []);
  useEffect(() => {
    document.title = `${route?.title ?? "Not found"} · Miroir console`;
  }, [route]);
  const Page = route === null ? null : PAGES[route.path as keyof typeof PAGES];
  return (
    <>
      <a class="skip" href="#main">
        Skip to the page
      </a>
      <header class="top">
        <span class="brand">Miroir</span>
        <nav aria-label="Console">
          <ul>
            {ROUTES.map((entry) => (
              <li key={entry.path}>
                <a
                  href={entry.path}
                  aria-current={entry.path === route?.path ? "page" : undefined}
                  onClick={(event) => {
                    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
                    event.preventDefault();
                    navigate(entry.path);
                  }}
                >
                  {entry.title}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {adminKey.get() === "" ? null : (
          <button
            type="button"
            class="secondary small"
            onClick={() => {
              adminKey.clear();
              setKeyRefused(true);
            }}
          >
            Forget the admin key
          </button>
        )}
      </header>
      <main id="main">
        {keyRefused ? (
          <>
            <h1>Admin key</h1>
            <KeyForm
              label="Admin key"
              hint="The key of the Miroir admin API (MIROIR_ADMIN_API_KEY, or the master key when no admin key is set). It stays in this tab only."
              error={adminKey.get() === "" ? null : "The admin API refused this key."}
              onKey={(value) => {
                adminKey.set(value);
                setKeyRefused(false);
                setGeneration((g) => g + 1);
              }}
            />
          </>
        ) : Page === null ? (
          <>
            <h1>Not found</h1>
            <p>The console has no page at {pathname}.</p>
          </>
        ) : (
          <Page key={`${route?.path}-${generation}`} />
        )}
      </main>
    </>
  );
}
