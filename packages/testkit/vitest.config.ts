import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@miroir/source"] },
  ssr: { resolve: { conditions: ["@miroir/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // only the sources: a build also emits the bench files into dist
    benchmark: { include: ["src/**/*.bench.ts", "bench/**/*.bench.ts"] },
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/**/*.bench.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 90 },
    },
  },
});
