import { stringLiterals, stringValue, tokenizeSql } from "../guard/index.js";
import {
  columnsHolding,
  NEAR_DUPLICATE_THRESHOLD,
  questionSimilarity,
  type ScoredItem,
  type ValueHint,
  type ValueIndex,
} from "../retrieve/index.js";

/**
 * A trained question asked about another value of the same column: "Show the purchase history of
 * Metro Contractors" answers "… of Sharma Hardware", or "… of this customer" with "Sharma Hardware"
 * selected on a page, by the trained SQL with the one literal swapped. Only a literal that is a
 * stored value of a column, named in the trained question, is swapped, and only for a value of the
 * same column that the question (or the page) names.
 */
export interface ValueVariant {
  item: ScoredItem["item"];
  /** The trained SQL with the value swapped (the guard still checks it). */
  sql: string;
  from: string;
  to: ValueHint;
}

/** Stands for the swapped value in both questions when they are compared. */
const PLACEHOLDER = "valueplaceholder";

export function findValueVariant(
  candidates: ScoredItem[],
  question: string,
  hints: ValueHint[],
  values: ValueIndex,
): ValueVariant | undefined {
  for (const { item } of candidates) {
    if (!item.question) continue;
    for (const literal of swappableLiterals(item.content, item.question, values)) {
      const to = hints.find(
        (hint) => hint.value !== literal.value && literal.columns.some((c) => sameColumn(c, hint)),
      );
      if (!to) continue;
      const asked = mentions(question, to.value) ? masked(question, to.value) : pointedAt(question);
      if (questionSimilarity(asked, masked(item.question, literal.value)) < NEAR_DUPLICATE_THRESHOLD)
        continue;
      return { item, sql: swapLiteral(item.content, literal.value, to.value), from: literal.value, to };
    }
  }
  return undefined;
}

/** The string literals of `sql` that are stored values and that the trained question names. */
function swappableLiterals(sql: string, question: string, values: ValueIndex) {
  return [...new Set(stringLiterals(sql))]
    .filter((value) => mentions(question, value))
    .map((value) => ({ value, columns: columnsHolding(values, value) }))
    .filter((literal) => literal.columns.length > 0);
}

function swapLiteral(sql: string, from: string, to: string): string {
  return tokenizeSql(sql)
    .reverse()
    .filter((token) => stringValue(token) === from)
    .reduce(
      (text, token) =>
        `${text.slice(0, token.start)}'${to.replaceAll("'", "''")}'${text.slice(token.start + token.text.length)}`,
      sql,
    );
}

/** A value named only by the page: "this customer", "these products" or "them" in the question stands for it. */
function pointedAt(question: string): string {
  const pointer = /\b(?:this|that|these|those|the selected)\s+[\p{L}\p{N}_-]+|\b(?:them|it|him|her)\b/iu;
  return pointer.test(question)
    ? question.replace(pointer, ` ${PLACEHOLDER} `)
    : `${question} ${PLACEHOLDER}`;
}

function mentions(text: string, value: string): boolean {
  return text.toLowerCase().includes(value.toLowerCase());
}

function masked(text: string, value: string): string {
  const at = text.toLowerCase().indexOf(value.toLowerCase());
  return `${text.slice(0, at)} ${PLACEHOLDER} ${text.slice(at + value.length)}`;
}

function sameColumn(a: Omit<ValueHint, "value">, b: Omit<ValueHint, "value">): boolean {
  return a.table === b.table && a.column === b.column;
}
