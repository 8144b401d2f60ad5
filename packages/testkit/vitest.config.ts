import { defineConfig } from "vitest/config";

const realBin = process.env.MEILI_BIN?.trim() ?? "";

/**
 * Two runs in one: every test on emulated nodes (MEILI_BIN cleared), and, when MEILI_BIN
 * names a Meilisearch binary, every test that starts nodes again on real processes — the
 * conformance suite, the harness and the official client — so one `pnpm test` proves the
 * emulator and the real engine answer alike.
 */
export default defineConfig({
  resolve: { conditions: ["@miroir/source"] },
  ssr: { resolve: { conditions: ["@miroir/source"] } },
  test: {
    // only the sources: a build also emits the bench files into dist
    benchmark: { include: ["src/**/*.bench.ts", "bench/**/*.bench.ts"] },
    projects: [
      {
        extends: true,
        test: {
          name: "emulated",
          include: ["src/**/*.test.ts", "test/**/*.test.ts"],
          env: { MEILI_BIN: "" },
        },
      },
      ...(realBin === ""
        ? []
        : [
            {
              extends: true as const,
              test: {
                name: "real",
                include: [
                  "test/conformance/**/*.test.ts",
                  "test/harness/**/*.test.ts",
                  "test/official-client.test.ts",
                ],
                env: { MEILI_BIN: realBin },
                // a real node processes a write in a few hundred milliseconds
                testTimeout: 30_000,
                hookTimeout: 60_000,
              },
            },
          ]),
    ],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      exclude: ["src/**/*.test.ts", "src/**/*.bench.ts"],
      reporter: ["text-summary", "json-summary"],
      thresholds: { lines: 90 },
    },
  },
});
