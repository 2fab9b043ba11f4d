import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "src/**/*.test.ts",
      "test/**/*.test.ts",
      "demo/**/*.test.ts",
      "web/e2e/**/*.test.ts",
      "extension/src/**/*.test.ts",
    ],
    exclude: ["test/reliability/**", "node_modules/**", "dist/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Native addons (better-sqlite3, llama.cpp) are safest in forked processes; two cores here.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default", "./test/support/summary-reporter.ts"],
  },
});
