import { describe, expect, it } from "vitest";
import { compareResults, hasOrderBy } from "./score.js";

const unordered = { orderMatters: false };
const ordered = { orderMatters: true };
const rows = (...r: unknown[][]) => ({ rows: r });

describe("compareResults (Spider execution accuracy)", () => {
  it("ignores row order unless it matters", () => {
    expect(compareResults(rows([1, "a"], [2, "b"]), rows([2, "b"], [1, "a"]), unordered)).toBe(true);
    expect(compareResults(rows([1, "a"], [2, "b"]), rows([2, "b"], [1, "a"]), ordered)).toBe(false);
    expect(compareResults(rows([1, "a"], [2, "b"]), rows([1, "a"], [2, "b"]), ordered)).toBe(true);
  });

  it("counts duplicates", () => {
    expect(compareResults(rows([1], [1], [2]), rows([1], [2], [2]), unordered)).toBe(false);
    expect(compareResults(rows([1], [1], [2]), rows([2], [1], [1]), unordered)).toBe(true);
    expect(compareResults(rows([1], [1]), rows([1]), unordered)).toBe(false);
  });

  it("matches columns by their values, in any order, not by name", () => {
    expect(compareResults(rows([1, "a", 10], [2, "b", 20]), rows(["a", 10, 1], ["b", 20, 2]), unordered)).toBe(true);
    expect(compareResults(rows([1, "a"], [2, "b"]), rows(["a", 1], ["b", 2]), ordered)).toBe(true);
    // The same column values, but paired differently across rows: not the same result.
    expect(compareResults(rows([1, "a"], [2, "b"]), rows([1, "b"], [2, "a"]), unordered)).toBe(false);
    expect(compareResults(rows([1, 1], [2, 2]), rows([1, 1], [2, 2]), unordered)).toBe(true);
  });

  it("needs the same number of columns", () => {
    expect(compareResults(rows([1, "a"]), rows([1]), unordered)).toBe(false);
  });

  it("treats NULL as a value equal only to NULL", () => {
    expect(compareResults(rows([null, 1]), rows([null, 1]), unordered)).toBe(true);
    expect(compareResults(rows([null]), rows(["null"]), unordered)).toBe(false);
    expect(compareResults(rows([null]), rows([0]), unordered)).toBe(false);
  });

  it("equates integers and floats of the same value, and float noise", () => {
    expect(compareResults(rows([1], [2]), rows([1.0], [2.0]), unordered)).toBe(true);
    expect(compareResults(rows([0.30000000000000004]), rows([0.3]), unordered)).toBe(true);
    expect(compareResults(rows([1]), rows(["1"]), unordered)).toBe(false);
    expect(compareResults(rows([1.5]), rows([1.6]), unordered)).toBe(false);
  });

  it("counts two empty results as equal", () => {
    expect(compareResults(rows(), rows(), ordered)).toBe(true);
    expect(compareResults(rows(), rows([1]), unordered)).toBe(false);
  });
});

describe("hasOrderBy", () => {
  it("finds ORDER BY on the outer query only, outside strings and comments", () => {
    expect(hasOrderBy("SELECT name FROM t ORDER BY name")).toBe(true);
    expect(hasOrderBy("select name from t order\n  by 1 limit 3")).toBe(true);
    expect(hasOrderBy("SELECT * FROM (SELECT a FROM t ORDER BY a LIMIT 3)")).toBe(false);
    expect(hasOrderBy("SELECT 'order by' FROM t -- order by x")).toBe(false);
    expect(hasOrderBy("SELECT a FROM t GROUP BY a")).toBe(false);
  });
});
