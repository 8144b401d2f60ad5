import { defineConfig } from "vitest/config";

// Only the quick tests of the report writer and the measuring code; the benchmarks
// themselves run with `pnpm bench`, never as tests.
export default defineConfig({
  resolve: { conditions: ["@miroir/source"] },
  ssr: { resolve: { conditions: ["@miroir/source"] } },
  test: {
    include: ["src/**/*.test.ts"],
  },
});
