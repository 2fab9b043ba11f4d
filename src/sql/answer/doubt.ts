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
 * The model copied an example instead of answering: its SQL holds a value that an example's SQL
 * holds and its question names as a name (capitalised inside a sentence, or with digits), and that
 * this question does not name. "How many Queen songs" answered with the album filter of "List the
 * songs on the album Let There Be Rock", "which genre makes us the most money" with the SQL of "How
 * much money have Metallica tracks made us": on Chinook with trained pairs, two of the five answers
 * training lost. A lower-case word (a status such as 'paid') is a rule an example shows, not a copy.
 */
export function copiesAnExample(sql: string, question: string, examples: Example[]): boolean {
  return stringLiterals(sql).some(
    (value) =>
      wordsAt(question, value).length === 0 &&
      examples.some(
        (example) => stringLiterals(example.sql).includes(value) && namesValue(example.question, value),
      ),
  );
}

function stringLiterals(sql: string): string[] {
  return tokenizeSql(sql)
    .filter((token) => token.kind === "string" && token.text.startsWith("'"))
    .map((token) => token.text.slice(1, -1).replaceAll("''", "'"))
    .filter((value) => /[\p{L}\p{N}]/u.test(value));
}

/** Where `value` stands in `text` as whole words, case aside. */
function wordsAt(text: string, value: string): number[] {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "giu");
  return [...text.matchAll(pattern)].map((match) => match.index);
}

/** Written as a name: with a digit, or capitalised where a sentence does not start. */
function namesValue(text: string, value: string): boolean {
  return wordsAt(text, value).some((at) => {
    const written = text.slice(at, at + value.length);
    const startsSentence = /(^|[.!?:]\s+)$/.test(text.slice(0, at));
    return /\p{N}/u.test(written) || (/\p{Lu}/u.test(written) && !startsSentence);
  });
}
