import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Installs helm into <repo>/.cache/tools/bin on the first run (a few minutes with
    // `go install`); later runs reuse it. Only this setup is slow, so only it waits long.
    globalSetup: ["test/helm-setup.ts"],
    testTimeout: 30_000,
  },
});
