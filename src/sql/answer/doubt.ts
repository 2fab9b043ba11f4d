/** When an answer that ran is doubtful, and when two answers are the same: the rules of execution-guided choice. */
import { tokenizeSql, type QueryResult, type SqlValue } from "../guard/index.js";
import type { Example } from "../prompt/index.js";

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

/**
 * The model copied an example instead of answering: its SQL holds a value that an example's
 * question names (written as a name, not a lower-case word such as a status) and this question
 * does not. "How many Queen songs" answered with the album filter of "List the songs on the album
 * Let There Be Rock", "which genre makes us the most money" with the SQL of "How much money have
 * Metallica tracks made us": on Chinook with trained pairs, two of the five answers training lost.
 */
export function copiesAnExample(sql: string, question: string, examples: Example[]): boolean {
  const asked = question.toLowerCase();
  return stringLiterals(sql).some(
    (value) =>
      !asked.includes(value.toLowerCase()) && examples.some((example) => namesValue(example.question, value)),
  );
}

function stringLiterals(sql: string): string[] {
  return tokenizeSql(sql)
    .filter((token) => token.kind === "string" && token.text.startsWith("'"))
    .map((token) => token.text.slice(1, -1).replaceAll("''", "'"))
    .filter((value) => /[\p{L}\p{N}]/u.test(value));
}

function namesValue(text: string, value: string): boolean {
  const at = text.toLowerCase().indexOf(value.toLowerCase());
  return at >= 0 && /[\p{Lu}\p{N}]/u.test(text.slice(at, at + value.length));
}
