import * as v from "valibot";
import { boolean, integer, oneOf, rate, section, setting, stringList, text } from "../fields.js";

const cspOverrides = () =>
  section("Extra sources merged into the Content-Security-Policy.", {
    script_src: setting(stringList(), [], "Extra script-src sources."),
    img_src: setting(stringList(), [], "Extra img-src sources."),
    connect_src: setting(stringList(), [], "Extra connect-src sources."),
  });

const HEX_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** Plan §13.19: the embedded operator console. */
export const adminUiSchema = section("Embedded admin web UI.", {
  enabled: setting(boolean(), true, "Serve the admin UI (needs admin.enabled)."),
  path: setting(text(), "/_miroir/admin", "URL path of the UI."),
  auth: setting(
    oneOf(["key", "none"]),
    "key",
    "key: admin key or login session; none: development only.",
  ),
  session_ttl_s: setting(integer(60), 3_600, "Lifetime of a login session."),
  read_only_mode: setting(boolean(), false, "Hide every write control."),
  allowed_origins: setting(
    stringList(),
    ["same-origin"],
    "Origins allowed on the session endpoint.",
  ),
  cors_allowed_origins: setting(
    stringList(),
    [],
    "Extra CORS origins; empty means same-origin only.",
  ),
  csp_overrides: cspOverrides(),
  theme: section("Look of the UI.", {
    accent_color: setting(
      v.pipe(v.string(), v.regex(HEX_COLOUR, 'must be a colour like "#2563eb"')),
      "#2563eb",
      "Accent colour.",
    ),
    default_mode: setting(oneOf(["auto", "light", "dark"]), "auto", "Colour scheme."),
  }),
  features: section("Optional panels.", {
    sandbox: setting(boolean(), true, "Query sandbox."),
    shadow_viewer: setting(boolean(), true, "Shadow diff viewer."),
    cdc_inspector: setting(boolean(), true, "Change stream inspector."),
  }),
});

/** Plan §13.21: the end-user search page. */
export const searchUiSchema = section("Embedded end-user search UI.", {
  enabled: setting(boolean(), false, "Serve /ui/search/{index}; needs the JWT secret variable."),
  path: setting(text(), "/ui/search", "URL path of the UI."),
  widget_script_enabled: setting(boolean(), true, "Serve the embeddable widget script."),
  embeddable: setting(boolean(), true, "Allow embedding in iframes."),
  auth: section("How browsers obtain a search session.", {
    mode: setting(
      oneOf(["public", "shared_key", "oauth_proxy"]),
      "public",
      "public: rate-limited; shared_key: X-Search-UI-Key; oauth_proxy: upstream auth headers.",
    ),
    shared_key_env: setting(
      v.nullable(text()),
      null,
      "Environment variable holding the shared key; required in shared_key mode.",
    ),
    session_ttl_s: setting(integer(60), 900, "Lifetime of a session token."),
    session_rate_limit: setting(rate(), "10/minute", "Session mints allowed per IP."),
    jwt_secret_env: setting(
      text(),
      "SEARCH_UI_JWT_SECRET",
      "Environment variable holding the JWT signing secret.",
    ),
    oauth_proxy: section("Headers set by the authenticating proxy.", {
      user_header: setting(text(), "X-Forwarded-User", "Header with the user id."),
      groups_header: setting(text(), "X-Forwarded-Groups", "Header with the user's groups."),
      filter_template: setting(
        v.nullable(text()),
        "tenant IN [{groups}]",
        "Filter ANDed to every search; {groups} and {user} are replaced; null disables.",
      ),
      attribute_map: setting(
        v.record(v.string(), v.string()),
        {},
        "Claim renames exposed in the token.",
      ),
    }),
  }),
  allowed_origins: setting(stringList(), ["*"], "Origins allowed on the session endpoint."),
  scoped_key_max_age_days: setting(integer(1), 60, "Expiry of the search-only node key."),
  scoped_key_rotate_before_expiry_days: setting(
    integer(1),
    30,
    "Rotate the node key this many days before expiry; below scoped_key_max_age_days.",
  ),
  scoped_key_rotation_drain_s: setting(integer(0), 120, "Wait before revoking the previous key."),
  rate_limit: section("Per-IP rate limit of searches.", {
    per_ip: setting(rate(), "60/minute", "Searches allowed per IP."),
    backend: setting(
      oneOf(["redis", "local"]),
      "local",
      "local counts per process; redis is required when server.replicas > 1.",
    ),
    redis_key_prefix: setting(
      text(),
      "miroir:ratelimit:searchui:",
      "Redis key prefix of the buckets.",
    ),
    redis_ttl_s: setting(integer(1), 60, "Lifetime of a bucket."),
  }),
  cors_allowed_origins: setting(
    stringList(),
    [],
    "Extra CORS origins; empty means same-origin only.",
  ),
  csp_overrides: cspOverrides(),
  csp: setting(
    text(),
    "default-src 'self'; img-src 'self' https:; style-src 'self' 'unsafe-inline'",
    "Base Content-Security-Policy.",
  ),
  analytics: section("Click-through and latency beacons.", {
    enabled: setting(boolean(), false, "Accept beacons from the UI."),
    sink: setting(oneOf(["cdc"]), "cdc", "Where beacons go."),
  }),
});
