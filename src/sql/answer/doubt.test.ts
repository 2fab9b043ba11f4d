import { describe, expect, it } from "vitest";
import type { QueryResult } from "../guard/index.js";
import { copiesAnExample, findsNothing, rowsKey } from "./doubt.js";

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

  const examples = [
    {
      question: "List the songs on the album Let There Be Rock.",
      sql: "SELECT t.Name FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId WHERE al.Title = 'Let There Be Rock'",
    },
    {
      question: "How much did we sell on paid invoices?",
      sql: "SELECT SUM(Total) FROM Invoice WHERE status = 'paid'",
    },
  ];

  it("doubts an answer that carries over a value only an example's question names", () => {
    const copied =
      "SELECT COUNT(*) FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId WHERE al.Title = 'Let There Be Rock' AND t.Composer = 'Queen'";
    expect(copiesAnExample(copied, "How many Queen songs are in the catalogue?", examples)).toBe(true);
    // Named by the question itself, in any case: the example showed the way, nothing was copied.
    expect(copiesAnExample(copied, "how many queen songs are on let there be rock?", examples)).toBe(false);
  });

  it("does not doubt a rule an example shows (a lower-case status), a value no example names, or a number", () => {
    const question = "What did we sell last month?";
    expect(copiesAnExample("SELECT SUM(Total) FROM Invoice WHERE status = 'paid'", question, examples)).toBe(
      false,
    );
    expect(
      copiesAnExample("SELECT SUM(Total) FROM Invoice WHERE BillingCountry = 'USA'", question, examples),
    ).toBe(false);
    expect(
      copiesAnExample("SELECT SUM(Total) FROM Invoice WHERE InvoiceDate >= '2025-10-01'", question, []),
    ).toBe(false);
  });
});
