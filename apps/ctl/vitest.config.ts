import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { conditions: ["@miroir/source"] },
  ssr: { resolve: { conditions: ["@miroir/source"] } },
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Each case runs the CLI as a child process (Node start-up plus oclif) on shared cores.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
