import type { DatabaseSchema, SchemaTable } from "./introspect.js";

/**
 * Facts for a repair prompt. Given only SQLite's "no such column: T2.Quantity", a small model
 * mostly writes the same query again (measured: every repair of a wrong join failed so). Told which
 * columns the tables of its query have, and which table holds the column it wanted, it can fix the
 * join. Returns undefined for errors where the schema does not help.
 */
export function schemaHintFor(schema: DatabaseSchema, sql: string, error: string): string | undefined {
  const missingTable = /no such table: (?:\w+\.)?([^\s]+)/i.exec(error);
  const missingColumn = /(?:no such column|ambiguous column name): (?:[^\s.]+\.)?([^\s]+)/i.exec(error);
  if (!missingTable && !missingColumn) return undefined;
  const named = tablesNamedIn(schema, sql);
  const lines: string[] = [];
  if (missingTable) lines.push(`The tables are: ${schema.tables.map((t) => t.name).join(", ")}.`);
  if (missingColumn) {
    const holders = schema.tables.filter((t) => t.columns.some((c) => sameName(c.name, missingColumn[1])));
    if (holders.length > 0)
      lines.push(`${missingColumn[1]} is a column of: ${holders.map((t) => t.name).join(", ")}.`);
  }
  if (named.length > 0)
    lines.push(`Columns of the tables in the query:\n${named.map(describeTable).join("\n")}`);
  return lines.join("\n");
}

function tablesNamedIn(schema: DatabaseSchema, sql: string): SchemaTable[] {
  const words = new Set((sql.match(/[\p{L}_][\p{L}\p{N}_$]*/gu) ?? []).map((w) => w.toLowerCase()));
  return schema.tables.filter((t) => words.has(t.name.toLowerCase()));
}

function describeTable(table: SchemaTable): string {
  const columns = table.columns.map((column) => {
    const key = table.foreignKeys.find((k) => k.columns.length === 1 && k.columns[0] === column.name);
    return key ? `${column.name} (→ ${key.table}.${key.toColumns[0] ?? "id"})` : column.name;
  });
  return `- ${table.name}: ${columns.join(", ")}`;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.replace(/^["`[]|["`\]]$/g, "").toLowerCase();
}
