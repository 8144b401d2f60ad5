import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@miroir/source"] },
  ssr: { resolve: { conditions: ["@miroir/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/redis-global-setup.ts"],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 90 },
    },
  },
});
