import type Database from "better-sqlite3";
import { distance } from "fastest-levenshtein";
import { quoteIdentifier, type DatabaseSchema } from "../schema/index.js";
import { identifierTokens, stem, tokenize } from "./text.js";

/**
 * Value linking: a model cannot know that "Pooja" is `customers.name = 'Pooja Sharma'` or that "a
 * Bachelor program" is `degree_summary_name = 'Bachelor'`. The distinct short text values of each
 * column are indexed by their words; a question's words (exact, or one edit away for longer words)
 * find the values it names, and those go to the model as hints.
 */
export interface ValueHint {
  table: string;
  column: string;
  value: string;
}

interface IndexedValue extends ValueHint {
  /** Content words (stop words dropped, stemmed): what the index is keyed by. */
  words: string[];
  /** Every word, stop words too: a whole value needs them all in the question ("Let There Be Rock"). */
  allWords: string[];
  /** Rows of the value's table: of one name stored in several tables, the smallest table's comes first. */
  tableRows: number;
}

export interface ValueIndex {
  /** Values by each of their (stemmed, lower-case) words. */
  byWord: Map<string, IndexedValue[]>;
  /** A few values of each text column read whole, by `columnKey`: what it holds, when the schema samples none. */
  someByColumn: Map<string, string[]>;
  /** Words of table and column names: a question word that names the schema is no value. */
  schemaWords: Set<string>;
  size: number;
}

/** Caps that keep building the index fast on big databases (a scan is cut, not the database read). */
const VALUES_PER_COLUMN = 1_000;
const SCAN_ROWS_PER_COLUMN = 200_000;
const MAX_VALUE_LENGTH = 60;
const MAX_HINTS = 8;
/** Values of a column kept to show what it holds. */
const SOME_VALUES = 3;
/** A word shared by more values than this says little about which one is meant. */
const MAX_VALUES_PER_WORD = 3;
const FUZZY_MIN_LENGTH = 5;

export function buildValueIndex(db: Database.Database, schema: DatabaseSchema): ValueIndex {
  const byWord = new Map<string, IndexedValue[]>();
  const someByColumn = new Map<string, string[]>();
  const schemaWords = new Set<string>();
  let size = 0;
  for (const table of schema.tables) {
    for (const word of identifierTokens(table.name)) schemaWords.add(word);
    for (const column of table.columns) {
      for (const word of identifierTokens(column.name)) schemaWords.add(word);
      if (table.kind !== "table" || !/CHAR|CLOB|TEXT|^$/i.test(column.type ?? "")) continue;
      const texts = distinctTexts(db, table.name, column.name);
      const whole = texts.length < VALUES_PER_COLUMN && (table.rowCount ?? Infinity) <= SCAN_ROWS_PER_COLUMN;
      if (whole && texts.length > 0)
        someByColumn.set(columnKey(table.name, column.name), texts.slice(0, SOME_VALUES));
      for (const value of texts) {
        const words = [...new Set(tokenize(value))];
        if (words.length === 0) continue;
        const indexed = {
          table: table.name,
          column: column.name,
          value,
          words,
          allWords: plainWords(value),
          tableRows: table.rowCount ?? Number.POSITIVE_INFINITY,
        };
        for (const word of words) {
          const values = byWord.get(word);
          if (values) values.push(indexed);
          else byWord.set(word, [indexed]);
        }
        size += 1;
      }
    }
  }
  return { byWord, someByColumn, schemaWords, size };
}

function columnKey(table: string, column: string): string {
  return `${table.toLowerCase()}\u0000${column.toLowerCase()}`;
}

/**
 * A few values the column holds, when the index holds all of them and could hold `value`: then
 * `value` is not one of them. None for a column it does not index whole (not text, or cut by the
 * caps), nor for a value it never keeps (shorter than 2 characters, longer than the cap).
 */
export function someValuesBesides(index: ValueIndex, table: string, column: string, value: string): string[] {
  if (value.length < 2 || value.length > MAX_VALUE_LENGTH) return [];
  return index.someByColumn.get(columnKey(table, column)) ?? [];
}

function distinctTexts(db: Database.Database, table: string, column: string): string[] {
  const name = quoteIdentifier(column);
  try {
    return db
      .prepare(
        `SELECT DISTINCT v FROM (SELECT ${name} AS v FROM ${quoteIdentifier(table)} LIMIT ${SCAN_ROWS_PER_COLUMN})
         WHERE typeof(v) = 'text' AND length(v) BETWEEN 2 AND ${MAX_VALUE_LENGTH} LIMIT ${VALUES_PER_COLUMN}`,
      )
      .pluck()
      .all() as string[];
  } catch {
    // A table the read-only connection cannot scan (e.g. a virtual table without its module) has no values to offer.
    return [];
  }
}

/**
 * The values a question names, best first. A hint that is wrong costs more than a missing one (the
 * model copies it into a filter), so a value counts only when the question holds all its words, and
 * a one-word value or a part of a longer one only through a word written as a name: capitalised
 * inside a sentence ("Pooja", "MPEG") or quoted. Whole values come first, longer ones higher; one
 * value stored in several tables comes from the smallest first: that is where a name is listed
 * (Artist, Customer), the larger ones hold copies or namesakes (an album called "Iron Maiden", a
 * billing city).
 */
export function findValues(
  index: ValueIndex,
  question: string,
  { capitalisedAnywhere = false } = {},
): ValueHint[] {
  const named = namedWords(question, capitalisedAnywhere);
  const questionWords = new Set(plainWords(question));
  const matched = new Map<IndexedValue, Map<string, string>>();
  for (const word of new Set(tokenize(question))) {
    for (const key of keysFor(index, word)) {
      for (const value of index.byWord.get(key) ?? []) {
        matched.set(value, (matched.get(value) ?? new Map<string, string>()).set(key, word));
      }
    }
  }
  const isWhole = (value: IndexedValue, keys: Map<string, string>): boolean =>
    keys.size >= value.words.length &&
    value.allWords.every((word) => keys.has(word) || questionWords.has(word));
  const whole = sameRecord(
    mostSpecific(
      [...matched].filter(
        ([value, keys]) =>
          isWhole(value, keys) && (value.words.length > 1 || isTelling(index, named, [...keys.values()][0])),
      ),
      question,
    ),
    question,
  );
  const covered = new Set(whole.flatMap(([, keys]) => [...keys.values()]));
  const partial = [...matched].flatMap(([value, keys]) => {
    if (isWhole(value, keys)) return [];
    const telling = [...keys].filter(
      ([key, word]) =>
        !covered.has(word) &&
        isTelling(index, named, word) &&
        word.length >= 4 &&
        (index.byWord.get(key)?.length ?? 0) <= MAX_VALUES_PER_WORD,
    );
    return telling.length > 0 ? [{ value, score: telling.length }] : [];
  });
  return [...whole.map(([value]) => ({ value, score: 10 + value.words.length })), ...partial]
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.value.value.length - b.value.value.length ||
        a.value.tableRows - b.value.tableRows,
    )
    .slice(0, MAX_HINTS)
    .map(({ value: { table, column, value } }) => ({ table, column, value }));
}

/**
 * Of the whole values a question names, those that say most: a value whose question words are all
 * part of a longer match is dropped ("Steve" and "Harris" beside "Steve Harris", "Rock" inside "Let
 * There Be Rock"), and of values found by the same words, one written as the question writes it
 * beats one found only through a stem ("Edwards" over "Edward").
 */
function mostSpecific(
  whole: Array<[IndexedValue, Map<string, string>]>,
  question: string,
): Array<[IndexedValue, Map<string, string>]> {
  const literal = (value: IndexedValue) => writtenIn(question, value.value);
  return whole.filter(
    ([value]) =>
      !whole.some(([other]) => {
        const words = new Set(other.allWords);
        if (!value.allWords.every((word) => words.has(word))) return false;
        if (words.size > new Set(value.allWords).size) return true;
        return literal(other) && !literal(value);
      }),
  );
}

/**
 * A name written over two columns of one table ("Robert King": first and last name of an employee)
 * names that table's record: the same word's matches in a table where its neighbour is not found
 * (a customer called Robert) are dropped.
 */
function sameRecord(
  whole: Array<[IndexedValue, Map<string, string>]>,
  question: string,
): Array<[IndexedValue, Map<string, string>]> {
  const order = [...new Set(tokenize(question))];
  const wordsIn = new Map<string, Set<string>>();
  for (const [value, keys] of whole) {
    const words = wordsIn.get(value.table) ?? new Set<string>();
    for (const word of keys.values()) words.add(word);
    wordsIn.set(value.table, words);
  }
  const neighbours = (word: string) => [order[order.indexOf(word) - 1], order[order.indexOf(word) + 1]];
  return whole.filter(([value, keys]) => {
    const own = wordsIn.get(value.table) ?? new Set<string>();
    return ![...keys.values()].some((word) =>
      neighbours(word).some(
        (next) =>
          next !== undefined &&
          !own.has(next) &&
          [...wordsIn].some(([table, words]) => table !== value.table && words.has(word) && words.has(next)),
      ),
    );
  });
}

function writtenIn(question: string, value: string): boolean {
  const escaped = value.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, "u").test(question.toLowerCase());
}

/** The columns that hold exactly `value` (as stored), by the index. */
export function columnsHolding(index: ValueIndex, value: string): Array<Omit<ValueHint, "value">> {
  const [word] = tokenize(value);
  return (index.byWord.get(word ?? "") ?? [])
    .filter((indexed) => indexed.value === value)
    .map(({ table, column }) => ({ table, column }));
}

function plainWords(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).map(stem);
}

function isTelling(index: ValueIndex, named: Set<string>, word: string): boolean {
  return named.has(word) && !/^\d+$/.test(word) && !index.schemaWords.has(word) && !CALENDAR_WORDS.has(word);
}

/** Capitalised in every question about dates, and no name: "March" is not the customer Marc. */
const CALENDAR_WORDS = new Set(
  "january february march april may june july august september october november december monday tuesday wednesday thursday friday saturday sunday"
    .split(" ")
    .map(stem),
);

/**
 * The values a question names and those its page context names (a selection such as "Ravi Traders",
 * or a page's text), question first. In the context a capitalised word is a name even where it
 * starts a sentence or the selection.
 */
export function valueHints(index: ValueIndex, question: string, context?: string): ValueHint[] {
  const hints = findValues(index, question);
  if (!context) return hints;
  const seen = new Set(hints.map(hintKey));
  const fromContext = findValues(index, context, { capitalisedAnywhere: true }).filter(
    (hint) => !seen.has(hintKey(hint)),
  );
  return [...hints, ...fromContext].slice(0, MAX_HINTS);
}

function hintKey(hint: ValueHint): string {
  return `${hint.table}\0${hint.column}\0${hint.value}`;
}

/** Words written as names: capitalised but not at the start of a sentence (unless `anywhere`), or inside quotes. */
function namedWords(question: string, anywhere: boolean): Set<string> {
  const quoted = question.match(/'[^']+'|"[^"]+"|‘[^’]+’|“[^”]+”/g) ?? [];
  const capitalised = [...question.matchAll(/(^|[.!?:]\s+|\s)(\p{Lu}[\p{L}\p{N}'-]*)/gu)]
    .filter((match) => anywhere || (match.index > 0 && !/[.!?:]\s+$/.test(match[1])))
    .map((match) => match[2]);
  return new Set([...quoted, ...capitalised].flatMap((text) => tokenize(text)));
}

/** The indexed words a question word stands for: itself, or for a longer word, those one edit away. */
function keysFor(index: ValueIndex, word: string): string[] {
  if (index.byWord.has(word)) return [word];
  if (word.length < FUZZY_MIN_LENGTH || /^\d/.test(word) || CALENDAR_WORDS.has(word)) return [];
  const near: string[] = [];
  for (const key of index.byWord.keys()) {
    if (Math.abs(key.length - word.length) <= 1 && key[0] === word[0] && distance(key, word) === 1)
      near.push(key);
  }
  return near;
}
