/** When an answer that ran is doubtful, and when two answers are the same: the rules of execution-guided choice. */
import type { QueryResult, SqlValue } from "../guard/index.js";

/**
 * No rows, only NULLs (an aggregate over nothing), or a single count or sum of 0: the query most
 * likely looked in the wrong place (a filter on the wrong column, a bad date format). On Chinook a
 * third of the wrong answers that ran looked like that, and none of the right ones.
 */
export function findsNothing(result: QueryResult): boolean {
  const nothing = (value: SqlValue) => value === null || (result.rows.length === 1 && value === 0);
  return result.rows.every((row) => row.every(nothing));
}

/** The rows as a set: two queries that find the same rows in another order give the same answer. */
export function rowsKey(result: QueryResult): string {
  return result.rows
    .map((row) => JSON.stringify(row))
    .sort()
    .join("\n");
}
