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
      question: "Paid invoices of the Art Gallery since 2025-10-01?",
      sql: "SELECT SUM(Total) FROM Invoice WHERE status = 'Paid' AND InvoiceDate >= '2025-10-01'",
    },
  ];

  it("doubts an answer that carries over a value only an example's question names", () => {
    const copied =
      "SELECT COUNT(*) FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId WHERE al.Title = 'Let There Be Rock' AND t.Composer = 'Queen'";
    expect(copiesAnExample(copied, "How many Queen songs are in the catalogue?", examples)).toBe(true);
    const dated = "SELECT COUNT(*) FROM Invoice WHERE InvoiceDate >= '2025-10-01'";
    expect(copiesAnExample(dated, "How many invoices this month?", examples)).toBe(true);
    // Named by the question itself, in any case: the example showed the way, nothing was copied.
    expect(copiesAnExample(copied, "how many queen songs are on let there be rock?", examples)).toBe(false);
  });

  it("does not doubt a rule an example shows, a value of its question but not of its SQL, or part of a word", () => {
    const question = "What did we sell last month?";
    // 'Paid' starts the example's question: a capital, but no name.
    expect(copiesAnExample("SELECT SUM(Total) FROM Invoice WHERE status = 'Paid'", question, examples)).toBe(
      false,
    );
    // The example's question names "Art Gallery", its SQL does not filter on it.
    expect(copiesAnExample("SELECT * FROM Customer WHERE Company = 'Art Gallery'", question, examples)).toBe(
      false,
    );
    // "Artist" is no mention of 'Art'.
    const artists = [
      { question: "Albums of the Artist Queen", sql: "SELECT * FROM Album WHERE Kind = 'Art'" },
    ];
    expect(copiesAnExample("SELECT * FROM Album WHERE Kind = 'Art'", question, artists)).toBe(false);
  });
});
