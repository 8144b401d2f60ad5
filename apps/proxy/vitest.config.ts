import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@miroir/source"] },
  ssr: { resolve: { conditions: ["@miroir/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    benchmark: { include: ["src/**/*.bench.ts"] },
    // Most tests talk to real processes over HTTP; on a shared, loaded machine vitest's 5 s
    // default fails a healthy test (a bound, not a speed check: benchmarks judge speed).
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The console's browser tests need Debian's chromium: installed here when missing.
    globalSetup: ["test/console/chromium-setup.ts"],
  },
});
