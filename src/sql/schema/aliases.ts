import { meaningfulTokens, type SqlToken } from "../guard/index.js";
import type { DatabaseSchema, SchemaTable } from "./introspect.js";

/**
 * Each table the query reads, under its alias and under its own name: `FROM Track AS T1` and
 * `JOIN Track t` give T1 and t; every table is also its own name.
 */
export function aliasesIn(schema: DatabaseSchema, sql: string): { alias: string; table: SchemaTable }[] {
  const tokens = meaningfulTokens(sql);
  const found: { alias: string; table: SchemaTable }[] = [];
  tokens.forEach((token, index) => {
    const table = schema.tables.find((t) => sameName(t.name, token.text));
    if (!table || !["FROM", "JOIN", ","].includes(tokens[index - 1]?.text.toUpperCase() ?? "")) return;
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

/** `"Track"`, `[Track]` and `` `Track` `` are Track. */
export function unquoted(name: string): string {
  const quote = /^["`]/.exec(name)?.[0];
  const bare = name.replace(/^["`[]|["`\]]$/g, "");
  // Inside quotes a doubled quote stands for one.
  return quote ? bare.replaceAll(quote + quote, quote) : bare;
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

export function hasColumn(table: SchemaTable, column: string): boolean {
  return table.columns.some((c) => sameName(c.name, column));
}

/** The primary key and the columns of each full unique index: each names one row of the table. */
export function uniqueKeysOf(table: SchemaTable): string[][] {
  const unique = table.indexes.filter((i) => i.unique && !i.partial).map((i) => i.columns);
  return [table.primaryKey, ...unique].filter((key) => key.length > 0);
}
