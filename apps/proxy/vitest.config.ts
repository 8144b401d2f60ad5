import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@miroir/source"] },
  ssr: { resolve: { conditions: ["@miroir/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    benchmark: { include: ["src/**/*.bench.ts"] },
    // The console's browser tests need Debian's chromium: installed here when missing.
    globalSetup: ["test/console/chromium-setup.ts"],
  },
});
