import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAskDbError } from "../../errors/index.js";
import { createSampleDatabase } from "../connect/sample-database.js";
import { createQueryExecutor, type QueryExecutor } from "./index.js";
import { hostileSqlCases, type HostileOutcome } from "./hostile-cases.js";

// A private temp folder for this file's process and the query processes it starts, so that
// "no new file in the temp folder" is not disturbed by other tests running beside it.
const root = mkdtempSync(join(tmpdir(), "askdb-hostile-"));
const privateTmp = join(root, "tmp");
const dbDir = join(root, "db");
const dbPath = join(dbDir, "shop.sqlite");
let executor: QueryExecutor;
let originalHash: string;
let originalMtime: number;
const originalTmpdir = process.env.TMPDIR;

beforeAll(() => {
  mkdirSync(privateTmp);
  mkdirSync(dbDir);
  createSampleDatabase(dbPath);
  originalHash = hashOf(dbPath);
  originalMtime = statSync(dbPath).mtimeMs;
  process.env.TMPDIR = privateTmp;
  executor = createQueryExecutor(dbPath, { timeoutMs: 1500, maxRows: 200, maxResultBytes: 4_000_000 });
});

afterAll(async () => {
  await executor.close();
  process.env.TMPDIR = originalTmpdir;
  rmSync(root, { recursive: true, force: true });
});

function hashOf(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

async function outcomeOf(sql: string): Promise<HostileOutcome | string> {
  try {
    await executor.execute(sql);
    return "rows";
  } catch (error) {
    return isAskDbError(error) ? error.code : `unexpected ${String(error)}`;
  }
}

describe("hostile SQL through the executor", () => {
  const cases = hostileSqlCases({ table: "invoices", dir: dbDir, tmpDir: privateTmp });

  it("has at least 50 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    "%s: refused or contained, nothing written",
    async (_name, hostile) => {
      expect(tmpdir()).toBe(privateTmp);
      const outcome = await outcomeOf(hostile.sql);
      expect(hostile.expect).toContain(outcome);
      expect(hashOf(dbPath)).toBe(originalHash);
      expect(statSync(dbPath).mtimeMs).toBe(originalMtime);
      expect(readdirSync(dbDir)).toEqual(["shop.sqlite"]);
      expect(readdirSync(privateTmp)).toEqual([]);
    },
  );

  it("still answers after all of them", async () => {
    const result = await executor.execute("SELECT count(*) AS n FROM invoices");
    expect(result.rows).toEqual([[200]]);
  });
});

describe("a runaway query", () => {
  it("is stopped at the deadline while the main thread stays responsive", async () => {
    const timerDelays: number[] = [];
    let pending = true;
    const tick = () => {
      const scheduled = performance.now();
      setTimeout(() => {
        timerDelays.push(performance.now() - scheduled);
        if (pending) tick();
      }, 10);
    };
    tick();
    const runaway = executor.execute(
      "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT sum(x) FROM n",
      { timeoutMs: 800 },
    );
    await expect(runaway).rejects.toMatchObject({
      code: "SQL_TIMEOUT",
      message: expect.stringContaining("800 ms"),
    });
    pending = false;
    // Timers kept firing during the query: dozens of ticks, none held up for long.
    expect(timerDelays.length).toBeGreaterThan(10);
    expect(Math.max(...timerDelays)).toBeLessThan(500);
  });

  it("is stopped when its signal aborts, and the next query runs", async () => {
    const controller = new AbortController();
    const runaway = executor.execute(
      "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT max(x) FROM n",
      { signal: controller.signal, timeoutMs: 60_000 },
    );
    setTimeout(() => controller.abort(), 200);
    await expect(runaway).rejects.toMatchObject({ code: "CANCELLED" });
    await expect(executor.execute("SELECT 42")).resolves.toMatchObject({ rows: [[42]] });
  });
});
