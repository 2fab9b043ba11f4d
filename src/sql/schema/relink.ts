import { endOf, stringValue, type SqlToken } from "../guard/index.js";
import { columnAt, nameTokens, sameName, tablesReadIn, type TableRead } from "./aliases.js";
import { quoteIdentifier, type DatabaseSchema, type SchemaColumn, type SchemaTable } from "./introspect.js";

/** Where a text value is stored: each table and column that holds it. */
export type ValueHolders = (value: string) => Array<{ table: string; column: string }>;

/**
 * A key column compared with a name of the row it refers to, rewritten through that row:
 * `flights.carrier = 'JetBlue Airways'`, where carrier holds codes ('B6') and refers to airlines,
 * whose name column holds 'JetBlue Airways', becomes `flights.carrier IN (SELECT "carrier" FROM
 * "airlines" WHERE "name" = 'JetBlue Airways')`. The comparison as written matches no row (the key
 * column does not hold the value), so the rewrite can only find what it meant. Qwen2.5-Coder did
 * this in every run on New York's flights, and kept doing it when a repair named the table holding
 * the value. Undefined when no comparison is so: a value the key column holds, or one that no
 * column, or two columns, of the referred table hold.
 */
export function throughReferencedName(
  schema: DatabaseSchema,
  sql: string,
  holders: ValueHolders,
): string | undefined {
  const tokens = nameTokens(sql);
  const read = tablesReadIn(schema, sql);
  const rewrites = tokens.flatMap((token, at) => {
    const value = stringValue(token);
    if (value === undefined || tokens[at - 1]?.text !== "=") return [];
    const compared = comparedColumn(read, tokens, at - 2);
    const through = compared && referredName(schema, compared, value, holders);
    if (!through) return [];
    const subquery = `IN (SELECT ${quoteIdentifier(through.key)} FROM ${quoteIdentifier(through.table.name)} WHERE ${quoteIdentifier(through.name)} = ${token.text})`;
    return [{ from: tokens[at - 1].start, to: endOf(token), text: subquery }];
  });
  if (rewrites.length === 0) return undefined;
  return rewrites.reduceRight((text, r) => text.slice(0, r.from) + r.text + text.slice(r.to), sql);
}

/** The column at `at` (a bare name, or the `.c` of `t.c`), when exactly one table of the query has it. */
function comparedColumn(
  read: TableRead[],
  tokens: SqlToken[],
  at: number,
): { table: SchemaTable; column: SchemaColumn } | undefined {
  const qualified = columnAt(tokens, at);
  const name =
    qualified ??
    (tokens[at]?.kind === "word" || tokens[at]?.kind === "identifier" ? tokens[at].text : undefined);
  if (name === undefined) return undefined;
  const qualifier = qualified === undefined ? undefined : tokens[at - 1]?.text;
  const tables = read
    .filter((r) => qualifier === undefined || r.names.some((n) => sameName(n, qualifier)))
    .map((r) => r.table);
  const found = tables.flatMap((table) => {
    const column = table.columns.find((c) => sameName(c.name, name));
    return column ? [{ table, column }] : [];
  });
  return found.length === 1 ? found[0] : undefined;
}

/** The referred table, its key and the one column of it that holds `value`, when `compared` is a key that does not. */
function referredName(
  schema: DatabaseSchema,
  compared: { table: SchemaTable; column: SchemaColumn },
  value: string,
  holders: ValueHolders,
): { table: SchemaTable; key: string; name: string } | undefined {
  const key = compared.table.foreignKeys.find(
    (k) => k.columns.length === 1 && sameName(k.columns[0], compared.column.name),
  );
  const table = key && schema.tables.find((t) => sameName(t.name, key.table));
  const toColumn = key?.toColumns[0] ?? table?.primaryKey[0];
  if (!table || !toColumn) return undefined;
  const held = holders(value);
  if (held.some((h) => h.table === compared.table.name && sameName(h.column, compared.column.name)))
    return undefined;
  // The referred key itself holding it ('NEW', an airport code no flight has) is no name.
  const names = held.filter((h) => h.table === table.name && !sameName(h.column, toColumn));
  return names.length === 1 ? { table, key: toColumn, name: names[0].column } : undefined;
}
