import type { SqlToken } from "../guard/index.js";
import type { DatabaseSchema } from "./introspect.js";
import {
  columnAt,
  hasColumn,
  isWord,
  nameTokens,
  oneEquals,
  sameName,
  tablesReadIn,
  type TableRead,
} from "./aliases.js";

/** The table a query lists, and those it joins to it. */
export interface JoinedTables {
  listed: string;
  joined: string[];
}

/**
 * A query that reads two tables or more and excludes no row: no NOT (IN, EXISTS, LIKE, …; IS NOT
 * NULL is no exclusion), EXCEPT, HAVING (`MAX(date) < …` keeps what has none since), IS NULL,
 * `= 0` or `< 1`, nor `!=` or `<>` on a column of the
 * table it lists first (`FROM Artist … WHERE Country != 'USA'`; on a joined table's column it
 * keeps any row that has another joined row). Such a query keeps what its joins find.
 */
export function excludesNothing(schema: DatabaseSchema, sql: string): JoinedTables | undefined {
  const read = tablesReadIn(schema, sql);
  if (read.length < 2 || excludes(oneEquals(nameTokens(sql)), read[0])) return undefined;
  return { listed: read[0].table.name, joined: read.slice(1).map((r) => r.table.name) };
}

function excludes(tokens: SqlToken[], listed: TableRead): boolean {
  return tokens.some((token, at) => {
    const next = tokens[at + 1];
    if (isWord(token, "NOT")) return !isWord(next, "NULL");
    if (isWord(token, "EXCEPT") || isWord(token, "HAVING")) return true;
    if (isWord(token, "IS")) return isWord(next, "NULL");
    if (token.text === "=") return next?.kind === "number" && Number(next.text) === 0;
    const differs = (token.text === "!" && next?.text === "=") || (token.text === "<" && next?.text === ">");
    if (differs) return ofTable(tokens, at - 1, listed);
    return token.text === "<" && next?.kind === "number" && Number(next.text) === 1;
  });
}

/** Whether the column that ends at `at` is the table's: `T1.Country`, or a bare name it has. */
function ofTable(tokens: SqlToken[], at: number, table: TableRead): boolean {
  if (columnAt(tokens, at) !== undefined)
    return table.names.some((name) => sameName(name, tokens[at - 1]?.text ?? ""));
  return tokens[at]?.kind !== "symbol" && hasColumn(table.table, tokens[at]?.text ?? "");
}
