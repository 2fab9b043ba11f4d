import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answer } from "../../sql/index.js";
import { createShopFixture, SHOP_PAIRS, type ShopFixture } from "../../sql/testing/index.js";
import { answerSummary } from "./ask.js";

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../../..");
let fixture: ShopFixture;

async function askdb(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", "src/cli/main.ts", "--data-dir", join(fixture.dir, "cli-data"), ...args],
      { cwd: repoRoot, env: { ...process.env, NO_COLOR: "1" } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  fixture = createShopFixture();
});
afterAll(() => fixture.cleanup());

describe("the answer's summary line", () => {
  const answer = (attempts: Answer["attempts"]): Answer => ({
    id: "ans_1",
    question: "q",
    sql: "SELECT 1",
    columns: [],
    rows: [[1]],
    rowCount: 1,
    truncated: false,
    chart: { type: "none", reason: "one value" },
    source: "model",
    attempts,
    model: "m",
    timings: { retrievalMs: 1, generationMs: 2, executionMs: 1, totalMs: 4 },
  });
  const ran = { kind: "generate" as const, sql: "SELECT 1", generationMs: 1 };

  it("says when the time limit stopped further tries, and is silent otherwise", () => {
    const cut = {
      kind: "sample" as const,
      sql: "",
      error: "stopped",
      errorCode: "ANSWER_TIMEOUT",
      generationMs: 0,
    };
    expect(answerSummary(answer([ran, cut]))).toContain("time limit reached: the best of 1 answer that ran");
    expect(answerSummary(answer([ran]))).not.toContain("time limit");
  });
});

describe("askdb train, ask and knowledge", () => {
  it("trains pairs, refusing the ones that do not run, then answers a trained question as JSON", async () => {
    const pairsFile = join(fixture.dir, "pairs.json");
    writeFileSync(
      pairsFile,
      JSON.stringify([...SHOP_PAIRS, { question: "drop it", sql: "DROP TABLE customers" }]),
    );
    const trained = await askdb("train", "--db", fixture.dbPath, "--pairs", pairsFile, "--json");
    expect(trained.code).toBe(0);
    expect(JSON.parse(trained.stdout)).toMatchObject({
      added: { pairs: SHOP_PAIRS.length },
      refused: [{ question: "drop it" }],
    });

    const asked = await askdb("ask", "--db", fixture.dbPath, "--json", "how many customers are there");
    expect(asked.code).toBe(0);
    expect(JSON.parse(asked.stdout)).toMatchObject({
      source: "example",
      rows: [[12]],
      timings: { totalMs: expect.any(Number) },
    });
    expect(asked.stderr).toBe("");
  });

  it("prints the SQL once, the rows with aligned, grouped numbers and one line with source and timings", async () => {
    const { code, stdout, stderr } = await askdb("ask", "--db", fixture.dbPath, "Total revenue per customer");
    expect(code).toBe(0);
    expect(stderr).toBe("");
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(SHOP_PAIRS[2].sql);
    expect(stdout.split(SHOP_PAIRS[2].sql)).toHaveLength(2);
    const revenueCells = lines
      .filter((line) => line.startsWith("│ Customer"))
      .map((line) => line.split("│")[2]);
    expect(revenueCells.length).toBeGreaterThan(1);
    expect(revenueCells.every((cell) => /^ +\d{1,3}(,\d{3})*(\.\d{1,2})? $/.test(cell))).toBe(true);
    expect(revenueCells.some((cell) => cell.includes(","))).toBe(true);
    expect(lines.at(-1)).toMatch(
      /^\d+ rows · from a trained example \("Total revenue per customer"\) · \d+ ms: retrieval \d+ ms, run \d+ ms · answer ans_\w+$/,
    );
  });

  it("prints the pipeline's log lines to stderr with --verbose", async () => {
    const { stderr } = await askdb(
      "ask",
      "--db",
      fixture.dbPath,
      "--verbose",
      "--no-cache",
      "how many customers are there",
    );
    expect(stderr).toMatch(/Extracted SQL: SELECT COUNT\(\*\) AS customers FROM customers/);
    expect(stderr).toMatch(/\[Total\]: \d+\.\d\ds/);
  });

  it("exits non-zero with {error} JSON when the question cannot be answered", async () => {
    const { code, stdout } = await askdb(
      "ask",
      "--db",
      fixture.dbPath,
      "--json",
      "average stock per category",
    );
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      error: { code: "NO_MODEL", hint: expect.stringMatching(/models pull/) },
    });
    const missing = await askdb("ask", "--db", join(fixture.dir, "missing.sqlite"), "--json", "anything");
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("lists and removes knowledge", async () => {
    const listed = await askdb(
      "knowledge",
      "list",
      "--db",
      fixture.dbPath,
      "--kind",
      "question_sql",
      "--json",
    );
    const items = JSON.parse(listed.stdout) as Array<{ id: string; question: string }>;
    expect(items.map((i) => i.question)).toEqual(SHOP_PAIRS.map((p) => p.question));
    const removed = await askdb("knowledge", "rm", "--db", fixture.dbPath, items[0].id, "--json");
    expect(JSON.parse(removed.stdout)).toEqual({ removed: [items[0].id] });
    const again = await askdb("knowledge", "rm", "--db", fixture.dbPath, items[0].id);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no knowledge item/);
  });
});
