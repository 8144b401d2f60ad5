import { defineConfig } from "vite";

/**
 * The console is served by the proxy under /_miroir/ui; every asset gets a content hash
 * in its name (long-cached), and nothing is inlined, so the page runs under a
 * Content-Security-Policy without 'unsafe-inline'.
 */
export default defineConfig({
  base: "/_miroir/ui/",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
    reportCompressedSize: true,
  },
});
