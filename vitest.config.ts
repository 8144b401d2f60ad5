import { defineConfig } from "vitest/config";

// Runs every package's and app's own vitest project from the root (`pnpm vitest`).
export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "charts/*", "bench"],
  },
});
