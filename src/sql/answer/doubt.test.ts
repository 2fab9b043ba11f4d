import { describe, expect, it } from "vitest";
import type { QueryResult } from "../guard/index.js";
import { findsNothing, rowsKey } from "./doubt.js";

const result = (rows: QueryResult["rows"]): QueryResult => ({
  columns: rows[0]?.map((_, i) => ({ name: `c${i}`, type: "" })) ?? [],
  rows,
  rowCount: rows.length,
  truncated: false,
  elapsedMs: 1,
});

describe("doubtful answers", () => {
  it("doubts no rows, only NULLs, and a single 0; not a 0 among other rows, nor a real value", () => {
    expect(findsNothing(result([]))).toBe(true);
    expect(findsNothing(result([[null, null]]))).toBe(true);
    expect(findsNothing(result([[0]]))).toBe(true);
    expect(findsNothing(result([[0, null]]))).toBe(true);
    expect(findsNothing(result([[0], [3]]))).toBe(false);
    expect(findsNothing(result([["Opera"]]))).toBe(false);
    expect(findsNothing(result([[0, "none sold"]]))).toBe(false);
  });

  it("sees the same rows in another order as the same answer", () => {
    expect(
      rowsKey(
        result([
          ["a", 1],
          ["b", 2],
        ]),
      ),
    ).toBe(
      rowsKey(
        result([
          ["b", 2],
          ["a", 1],
        ]),
      ),
    );
    expect(rowsKey(result([["a", 1]]))).not.toBe(rowsKey(result([["a", 2]])));
  });
});
