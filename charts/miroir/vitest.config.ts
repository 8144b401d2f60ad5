import { defineConfig } from "vitest/config";

export default defineConfig({
  // The config contract test reads @miroir/config from its sources, like every package.
  resolve: { conditions: ["@miroir/source"] },
  ssr: { resolve: { conditions: ["@miroir/source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    // Installs helm into <repo>/.cache/tools/bin on the first run (a few minutes with
    // `go install`); later runs reuse it. Only this setup is slow, so only it waits long.
    globalSetup: ["test/helm-setup.ts"],
    testTimeout: 30_000,
  },
});
