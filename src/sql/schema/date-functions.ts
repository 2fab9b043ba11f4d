import { endOf, stringValue, type SqlToken } from "../guard/index.js";
import {
  columnAt,
  depthsOf,
  isWord,
  nameTokens,
  oneEquals,
  sameName,
  splitTopLevel,
  type TableRead,
  tablesReadIn,
  topLevelWords,
  unquoted,
} from "./aliases.js";
import { isDateLike, type DatabaseSchema, type SchemaColumn, type SchemaTable } from "./introspect.js";

/** SQLite's date and time functions, each with where its time value stands among its arguments. */
const TIME_VALUE_AT: Record<string, number> = {
  DATE: 0,
  TIME: 0,
  DATETIME: 0,
  JULIANDAY: 0,
  UNIXEPOCH: 0,
  TIMEDIFF: 0,
  STRFTIME: 1,
};

export interface DateMisread {
  /** The function as the query writes it. */
  fn: string;
  table: SchemaTable;
  column: SchemaColumn;
}

/**
 * The first date function of the query whose time value is a column that holds no dates
 * (`holdsDates` false: `strftime('%m', month)` on months stored as 1–12, `julianday(origin)` on
 * airport codes); undefined when there is none, or the column is not plainly one table's. A number
 * read with the 'unixepoch' or 'auto' modifier is seconds (`time(duration, 'unixepoch')`), and a
 * bare name a subquery or CTE declares (`… AS day` inside it) is not the table's column: both are
 * left alone. A name the same SELECT declares is: SQLite reads its own table's column there.
 */
export function dateFunctionOnNonDate(schema: DatabaseSchema, sql: string): DateMisread | undefined {
  const tokens = nameTokens(sql);
  const read = tablesReadIn(schema, sql);
  const depths = depthsOf(tokens);
  // Names a subquery or CTE declares (`… AS day` one level down): the outer query reads those.
  const declaredBelow = (name: string, depth: number) =>
    tokens.some(
      (token, at) =>
        isWord(tokens[at - 1], "AS") && depths[at] > depth && unquoted(token.text).toLowerCase() === name,
    );
  for (let at = 0; at < tokens.length; at++) {
    const valueAt = TIME_VALUE_AT[tokens[at].text.toUpperCase()];
    if (tokens[at].kind !== "word" || valueAt === undefined || tokens[at + 1]?.text !== "(") continue;
    const args = splitTopLevel(argumentsFrom(tokens, at + 1));
    const value = args[valueAt];
    if (!value || args.slice(valueAt + 1).some(readsSeconds)) continue;
    if (value.length === 1 && declaredBelow(unquoted(value[0].text).toLowerCase(), depths[at])) continue;
    const found = columnIn(read, value);
    if (found?.column.holdsDates === false) return { fn: tokens[at].text, ...found };
  }
  return undefined;
}

/** A modifier that makes a date function read a number as unix seconds. */
function readsSeconds(argument: SqlToken[]): boolean {
  const text = argument.length === 1 ? stringValue(argument[0])?.toLowerCase() : undefined;
  return text === "unixepoch" || text === "auto";
}

/** The tokens inside the parentheses that open at `open`. */
function argumentsFrom(tokens: SqlToken[], open: number): SqlToken[] {
  const depths = depthsOf(tokens.slice(open));
  const close = depths.findIndex((depth, at) => at > 0 && depth === 0 && tokens[open + at].text === ")");
  return close < 0 ? [] : tokens.slice(open + 1, open + close);
}

/** The column a bare `c` or `t.c` names among the tables the query reads, when exactly one has it. */
function columnIn(
  read: TableRead[],
  value: SqlToken[],
): { table: SchemaTable; column: SchemaColumn } | undefined {
  const [first] = value;
  const named = (name: string, tables: SchemaTable[]) =>
    tables.flatMap((table) => {
      const column = table.columns.find((c) => sameName(c.name, name));
      return column ? [{ table, column }] : [];
    });
  if (value.length === 1 && (first.kind === "word" || first.kind === "identifier")) {
    const found = named(
      first.text,
      read.map((r) => r.table),
    );
    return found.length === 1 ? found[0] : undefined;
  }
  const column = columnAt(value, 1);
  if (value.length !== 2 || column === undefined) return undefined;
  const tables = read.filter((r) => r.names.some((name) => sameName(name, first.text))).map((r) => r.table);
  const found = named(column, tables);
  return found.length === 1 ? found[0] : undefined;
}

export interface ColumnOrder {
  table: SchemaTable;
  column: SchemaColumn;
  descending: boolean;
}

/**
 * The column a query picks its rows by: the first term of its outermost ORDER BY, when the query
 * has a LIMIT and that term is plainly one table's column (`ORDER BY e.Age DESC LIMIT 1`), with its
 * direction; undefined otherwise.
 */
export function picksByColumn(schema: DatabaseSchema, sql: string): ColumnOrder | undefined {
  const tokens = nameTokens(sql);
  const outer = topLevelWords(tokens);
  const orderAt = outer("ORDER");
  const limitAt = outer("LIMIT");
  if (orderAt < 0 || limitAt < orderAt || !isWord(tokens[orderAt + 1], "BY")) return undefined;
  const [term] = splitTopLevel(tokens.slice(orderAt + 2, limitAt));
  const direction = term.at(-1);
  const descending = isWord(direction, "DESC");
  const value = descending || isWord(direction, "ASC") ? term.slice(0, -1) : term;
  const found = columnIn(tablesReadIn(schema, sql), value);
  return found && { ...found, descending };
}

/**
 * The column of dates a query picks its rows by (`ORDER BY BirthDate DESC LIMIT 1`: named or typed
 * as one, and holding them), with its direction; undefined otherwise.
 */
export function picksByDate(schema: DatabaseSchema, sql: string): ColumnOrder | undefined {
  const pick = picksByColumn(schema, sql);
  // A count of milliseconds holds numbers SQLite reads as dates too: the column must be meant as one.
  return pick?.column.holdsDates === true && isDateLike(pick.column) ? pick : undefined;
}

/** A day as a literal compares it: '2025-03-31'. */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/**
 * A date with a time of day, as text whose day `date()` reads as written: '2025-03-31 10:00:00',
 * '2025-03-31T10:00Z'. With an offset `date()` gives the day in UTC, and with other suffixes NULL.
 */
const DATE_AND_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/;
/** What may stand before a compared column: where a condition starts. */
const CONDITION_STARTS = new Set(["WHERE", "AND", "OR", "ON", "HAVING", "WHEN", "NOT", "(", ","]);
/** What may follow the day: where the condition ends (after `||` or `+` the day is not what is compared). */
const CONDITION_ENDS = new Set([
  ...["AND", "OR", "THEN", "ELSE", "END", "WHEN", "COLLATE", "GROUP", "ORDER", "LIMIT", "HAVING"],
  ...["UNION", "EXCEPT", "INTERSECT", "WINDOW", ")", ",", ";"],
]);

/**
 * The query with each column of dates and times that it compares with a day as the end of a range
 * (`<= '2025-03-31'`, `BETWEEN '2025-01-01' AND '2025-03-31'`) or for equality compared by its day,
 * `date(InvoiceDate)`; undefined when there is none. Such a text sorts after its day
 * ('2025-03-31 10:00:00' > '2025-03-31'), so as written the range silently leaves out its last
 * day, and `=` finds nothing. `<` and `>=` mean the same either way; `>` is left as written, as it
 * is often meant as "from" ("since the start of 2025": `> '2025-01-01'`).
 */
export function comparedByDay(schema: DatabaseSchema, sql: string): string | undefined {
  const tokens = oneEquals(nameTokens(sql));
  const read = tablesReadIn(schema, sql);
  const columns = tokens.flatMap((token, at) => {
    const endsCondition = at === tokens.length - 1 || CONDITION_ENDS.has(tokens[at + 1].text.toUpperCase());
    const compared = isDay(token) && endsCondition ? dayComparedFrom(tokens, at) : -1;
    const operand = operandEndingAt(tokens, compared);
    const found = operand && columnIn(read, operand);
    return found && holdsDatesAndTimes(found.column) ? [operand] : [];
  });
  if (columns.length === 0) return undefined;
  return columns.reduceRight((text, operand) => {
    const start = operand[0].start;
    const end = endOf(operand[operand.length - 1]);
    return `${text.slice(0, start)}date(${text.slice(start, end)})${text.slice(end)}`;
  }, sql);
}

function isDay(token: SqlToken | undefined): boolean {
  return token !== undefined && DAY.test(stringValue(token) ?? "");
}

/**
 * Where the column compared with the day at `at` ends: before `<=` or `=`, or before
 * `[NOT] BETWEEN` when the day ends a range that starts with a day; -1 for other comparisons.
 */
function dayComparedFrom(tokens: SqlToken[], at: number): number {
  const before = (offset: number) => tokens[at - offset];
  if (before(1)?.text === "=") {
    if (before(2)?.text === "<") return at - 3;
    return [">", "!", "<"].includes(before(2)?.text ?? "") ? -1 : at - 2;
  }
  if (!isWord(before(1), "AND") || !isDay(before(2)) || !isWord(before(3), "BETWEEN")) return -1;
  return isWord(before(4), "NOT") ? at - 5 : at - 4;
}

/** The bare `c` or `t.c` that ends at `end` and starts a condition; undefined otherwise. */
function operandEndingAt(tokens: SqlToken[], end: number): SqlToken[] | undefined {
  if (end < 0) return undefined;
  const qualified = columnAt(tokens, end) !== undefined;
  const start = qualified ? end - 1 : end;
  const named = (token: SqlToken | undefined) => token?.kind === "word" || token?.kind === "identifier";
  if (!named(tokens[start])) return undefined;
  const previous = tokens[start - 1];
  return previous && CONDITION_STARTS.has(previous.text.toUpperCase())
    ? tokens.slice(start, end + 1)
    : undefined;
}

function holdsDatesAndTimes(column: SchemaColumn): boolean {
  return column.holdsDates === true && DATE_AND_TIME.test(column.samples?.[0] ?? "");
}
