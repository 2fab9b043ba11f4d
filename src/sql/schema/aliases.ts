import { endOf, meaningfulTokens, stringValue, type SqlToken } from "../guard/index.js";
import type { DatabaseSchema, SchemaTable } from "./introspect.js";

/**
 * Each table the query reads, under its alias and under its own name: `FROM Track AS T1` and
 * `JOIN Track t` give T1 and t; every table is also its own name.
 */
export function aliasesIn(schema: DatabaseSchema, sql: string): { alias: string; table: SchemaTable }[] {
  const tokens = meaningfulTokens(sql);
  const found: { alias: string; table: SchemaTable }[] = [];
  const depths = depthsOf(tokens);
  tokens.forEach((token, index) => {
    const table = schema.tables.find((t) => sameName(t.name, token.text));
    const before = tokens[index - 1]?.text.toUpperCase() ?? "";
    if (!table || !["FROM", "JOIN", ","].includes(before)) return;
    if (before === "," && !inFromClause(tokens, depths, index - 1)) return;
    found.push({ alias: table.name, table });
    const next = tokens[index + 1]?.text.toUpperCase() === "AS" ? tokens[index + 2] : tokens[index + 1];
    if (
      next &&
      (next.kind === "word" || next.kind === "identifier") &&
      !NOT_AN_ALIAS.has(next.text.toUpperCase())
    )
      found.push({ alias: unquoted(next.text), table });
  });
  return found;
}

/** Words that start a clause: a comma in the FROM clause lists a table, elsewhere a column or a value. */
const CLAUSE_WORDS = new Set(
  "SELECT FROM WHERE GROUP HAVING ORDER LIMIT WINDOW VALUES SET UNION EXCEPT INTERSECT".split(" "),
);

/** Whether the comma at `at` stands in a FROM clause (`FROM a, b`), not a select list (`SELECT x, series`). */
function inFromClause(tokens: SqlToken[], depths: number[], at: number): boolean {
  for (let back = at - 1; back >= 0; back -= 1) {
    if (depths[back] < depths[at]) return false;
    if (
      depths[back] === depths[at] &&
      tokens[back].kind === "word" &&
      CLAUSE_WORDS.has(tokens[back].text.toUpperCase())
    )
      return isWord(tokens[back], "FROM");
  }
  return false;
}

/** One table the query reads, by each name it goes by there: its own, and its alias. */
export interface TableRead {
  table: SchemaTable;
  names: string[];
}

export function tablesReadIn(schema: DatabaseSchema, sql: string): TableRead[] {
  const read: TableRead[] = [];
  for (const { alias, table } of aliasesIn(schema, sql)) {
    const last = read[read.length - 1];
    // aliasesIn gives each table read under its own name, then under its alias.
    if (last?.table === table && alias !== table.name) last.names.push(alias);
    else read.push({ table, names: [alias] });
  }
  return read;
}

const NOT_AN_ALIAS = new Set(
  "SELECT FROM AND OR ON USING NOT INDEXED JOIN INNER LEFT RIGHT FULL OUTER CROSS NATURAL WHERE GROUP ORDER HAVING LIMIT UNION EXCEPT INTERSECT WINDOW".split(
    " ",
  ),
);

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === unquoted(b).toLowerCase();
}

/**
 * The query's tokens for reading its names: a dot and the quoted name right after it
 * (`T1."FAA Code"`, which the lexer reads as two tokens) are one `.c` symbol, as `T1.c` is.
 */
export function nameTokens(sql: string): SqlToken[] {
  const tokens = meaningfulTokens(sql);
  const joined = (dot: SqlToken | undefined, name: SqlToken | undefined) =>
    dot?.kind === "symbol" && dot.text === "." && name?.kind === "identifier" && name.start === dot.start + 1;
  return tokens.flatMap((token, at): SqlToken[] => {
    if (joined(tokens[at - 1], token)) return [];
    const name = tokens[at + 1];
    return joined(token, name) ? [{ kind: "symbol", text: `.${name.text}`, start: token.start }] : [token];
  });
}

/** A column as SQLite names it in an error, with what qualifies it. */
export interface ColumnInError {
  qualifier?: string;
  column: string;
}

/**
 * The column an error of SQLite names after `phrase` ("no such column: T1.FAA Code"): the rest of
 * its line, as a name may hold spaces. The qualifier is what stands before the first dot, or the
 * last when a space comes before the first (a table's own name: "Carrier Stats 2013.FAA Code").
 */
export function columnInError(error: string, phrase: string): ColumnInError | undefined {
  const at = error.toLowerCase().indexOf(`${phrase}: `);
  if (at < 0) return undefined;
  const named = error
    .slice(at + phrase.length + 2)
    .split("\n")[0]
    .replace(/ - should this be a string literal.*$/, "")
    .trim();
  if (named === "") return undefined;
  const first = named.indexOf(".");
  const dot = first > 0 && !/\s/.test(named.slice(0, first)) ? first : named.lastIndexOf(".");
  return dot > 0 && dot < named.length - 1
    ? { qualifier: named.slice(0, dot), column: named.slice(dot + 1) }
    : { column: named };
}

/** `"Track"`, `[Track]` and `` `Track` `` are Track. */
export function unquoted(name: string): string {
  const quote = /^["`]/.exec(name)?.[0];
  const bare = name.replace(/^["`[]|["`\]]$/g, "");
  // Inside quotes a doubled quote stands for one.
  return quote ? bare.replaceAll(quote + quote, quote) : bare;
}

/**
 * A literal's value as SQLite compares it with a column: 1, 1.0 and '1' are one value; so, most
 * columns' collation aside, are 'Rock' and 'rock'.
 */
export function comparedValue(literal: SqlToken): string {
  const text = stringValue(literal);
  const number = Number(text ?? literal.text);
  return text !== undefined && !Number.isFinite(number) ? `s:${text.toLowerCase()}` : `n:${number}`;
}

/** The lexer reads `==` as two `=`: for reading comparisons, one is enough. */
export function oneEquals(tokens: SqlToken[]): SqlToken[] {
  return tokens.filter((token, at) => !(token.text === "=" && tokens[at - 1]?.text === "="));
}

/** How deep in parentheses each token is (a parenthesis itself counts as outside). */
export function depthsOf(tokens: SqlToken[]): number[] {
  let depth = 0;
  return tokens.map((token) => {
    if (token.text === ")") depth -= 1;
    const at = depth;
    if (token.text === "(") depth += 1;
    return at;
  });
}

/**
 * Where each word stands outside parentheses, -1 where it does not: the FROM, WHERE or ORDER of the
 * query itself, not of a subquery or a function call.
 */
export function topLevelWords(tokens: SqlToken[]): (word: string) => number {
  const depths = depthsOf(tokens);
  return (word) => tokens.findIndex((token, at) => depths[at] === 0 && isWord(token, word));
}

/** The query's text from the first of the tokens to the end of the last. */
export function textOf(sql: string, tokens: SqlToken[]): string {
  return sql.slice(tokens[0].start, endOf(tokens[tokens.length - 1]));
}

/** The list split at its commas outside parentheses: the items of a select list or an ORDER BY. */
export function splitTopLevel(list: SqlToken[]): SqlToken[][] {
  const depths = depthsOf(list);
  const items: SqlToken[][] = [[]];
  list.forEach((token, at) => {
    if (token.text === "," && depths[at] === 0) items.push([]);
    else items[items.length - 1].push(token);
  });
  return items;
}

const AGGREGATES = new Set(["COUNT", "SUM", "AVG", "MIN", "MAX", "TOTAL", "GROUP_CONCAT"]);

/** An aggregate function called anywhere in the tokens. */
export function callsAggregate(tokens: SqlToken[]): boolean {
  return tokens.some((t, i) => AGGREGATES.has(t.text.toUpperCase()) && tokens[i + 1]?.text === "(");
}

export function isWord(token: SqlToken | undefined, word: string): boolean {
  return token?.kind === "word" && token.text.toUpperCase() === word;
}

/** The column of the `.c` symbol at `at`: the lexer reads `T2.c` as the word `T2` and the symbol `.c`. */
export function columnAt(tokens: SqlToken[], at: number): string | undefined {
  const token = tokens[at];
  return token?.kind === "symbol" && token.text.length > 1 && token.text.startsWith(".")
    ? unquoted(token.text.slice(1))
    : undefined;
}

/** One SELECT, no subquery or compound: the shape whose tables and columns are read for sure. */
export function isSingleSelect(tokens: SqlToken[]): boolean {
  return tokens.filter((t) => isWord(t, "SELECT")).length === 1;
}

/** A column of one of the query's tables. */
export interface ColumnRef {
  read: TableRead;
  column: string;
}

/**
 * The columns a name written at `at` may be: `T1` `.col` of the table T1 stands for, or a bare
 * name of each of the query's tables that has it.
 */
export function columnRefsAt(tokens: SqlToken[], at: number, read: TableRead[]): ColumnRef[] {
  const token = tokens[at];
  if (!token || (token.kind !== "word" && token.kind !== "identifier")) return [];
  const column = columnAt(tokens, at + 1);
  if (column !== undefined) {
    const owner = read.find((r) => r.names.some((name) => sameName(name, token.text)));
    return owner && hasColumn(owner.table, column) ? [{ read: owner, column }] : [];
  }
  const bare = unquoted(token.text);
  return read.filter((r) => hasColumn(r.table, bare)).map((r) => ({ read: r, column: bare }));
}

export function hasColumn(table: SchemaTable, column: string): boolean {
  return table.columns.some((c) => sameName(c.name, column));
}

/** The primary key and the columns of each full unique index: each names one row of the table. */
export function uniqueKeysOf(table: SchemaTable): string[][] {
  const unique = table.indexes.filter((i) => i.unique && !i.partial).map((i) => i.columns);
  return [table.primaryKey, ...unique].filter((key) => key.length > 0);
}
