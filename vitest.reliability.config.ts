import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";
import { TALLY_DIR_ENV } from "./test/reliability/support/tally-dir.js";

// The test files (in forked workers, which inherit this environment) write their tallies here.
process.env[TALLY_DIR_ENV] ??= mkdtempSync(join(tmpdir(), "askdb-reliability-tallies-"));

/** `npm run test:reliability`: hostile SQL, prompt injection, HTTP fuzzing, faults, load, network silence. */
export default defineConfig({
  test: {
    include: ["test/reliability/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // One file at a time: the load and latency checks must not compete with each other for 2 cores.
    fileParallelism: false,
    reporters: [
      "default",
      "./test/support/summary-reporter.ts",
      "./test/reliability/support/summary-table.ts",
    ],
  },
});
