import { describe, expect, it } from "vitest";
import { compareRuns, exactMcNemar, wilsonInterval } from "./compare.js";
import type { EvalRecord } from "./run.js";

function record(question: string, match: boolean, predicted: string | null = "SELECT 1", totalMs = 1000): EvalRecord {
  return {
    db_id: "db",
    question,
    gold: "SELECT 1",
    predicted,
    match,
    valid: predicted !== null,
    error: null,
    source: "model",
    attempts: 1,
    timings: { retrievalMs: 0, generationMs: totalMs, executionMs: 0, totalMs },
  };
}

describe("exactMcNemar", () => {
  it("is twice the smaller binomial tail of the changed questions", () => {
    // 6 won, 0 lost: 2 × (½)^6.
    expect(exactMcNemar(6, 0)).toBeCloseTo(0.03125, 10);
    // 2 won, 4 lost: 2 × (1 + 6 + 15) / 64.
    expect(exactMcNemar(2, 4)).toBeCloseTo(0.6875, 10);
    expect(exactMcNemar(4, 2)).toBeCloseTo(0.6875, 10);
  });

  it("is 1 when nothing changed or the split is even", () => {
    expect(exactMcNemar(0, 0)).toBe(1);
    expect(exactMcNemar(3, 3)).toBe(1);
  });
});

describe("wilsonInterval", () => {
  it("gives the 95 % score interval", () => {
    const { low, high } = wilsonInterval(37, 45);
    expect(low).toBeCloseTo(0.6867, 3);
    expect(high).toBeCloseTo(0.9071, 3);
  });

  it("stays inside 0–1 at the ends and is wide on few questions", () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(0, 10).high).toBeCloseTo(0.2775, 3);
    expect(wilsonInterval(10, 10).high).toBeCloseTo(1, 10);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe("compareRuns", () => {
  it("pairs the runs question by question and counts what was won and lost", () => {
    const before = [record("a", true), record("b", false, "SELECT 2"), record("c", true), record("only before", true)];
    const after = [record("c", false, null), record("b", true, "SELECT 3"), record("a", true), record("only after", false)];
    const comparison = compareRuns(before, after);
    expect(comparison).toMatchObject({ paired: 3, onlyBefore: 1, onlyAfter: 1, sameSql: 1 });
    expect(comparison.won.map((r) => r.question)).toEqual(["b"]);
    expect(comparison.lost.map((r) => r.question)).toEqual(["c"]);
    expect(comparison.before.summary).toMatchObject({ total: 3, matched: 2 });
    expect(comparison.after.summary).toMatchObject({ total: 3, matched: 2, validSqlShare: 2 / 3 });
    expect(comparison.pValue).toBe(1);
  });

  it("takes the later answer of a question asked twice, as a resumed run has it", () => {
    const comparison = compareRuns([record("a", false), record("a", true)], [record("a", true)]);
    expect(comparison).toMatchObject({ paired: 1, onlyBefore: 0, onlyAfter: 0, won: [], lost: [] });
  });

  it("keeps the same question on two databases apart", () => {
    const before = [record("How many?", true), { ...record("How many?", false), db_id: "other" }];
    const after = [{ ...record("How many?", true), db_id: "other" }, record("How many?", true)];
    const comparison = compareRuns(before, after);
    expect(comparison.paired).toBe(2);
    expect(comparison.won.map((r) => r.db_id)).toEqual(["other"]);
    expect(comparison.lost).toEqual([]);
  });
});
