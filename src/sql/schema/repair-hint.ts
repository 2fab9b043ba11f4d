import type { DatabaseSchema, SchemaTable } from "./introspect.js";
import { joinPath } from "./join-path.js";

/**
 * Facts for a repair prompt. Given only SQLite's "no such column: T2.Quantity", a small model
 * mostly writes the same query again (measured: every repair of a wrong join failed so). Told which
 * columns the tables of its query have, and which table holds the column it wanted, it can fix the
 * join. A table it invented is often a column elsewhere ("Composer"), and the table it missed is
 * often one join away: both are said. Returns undefined for errors where the schema does not help.
 */
export function schemaHintFor(schema: DatabaseSchema, sql: string, error: string): string | undefined {
  const missingTable = /no such table: (?:\w+\.)?([^\s]+)/i.exec(error);
  const missingColumn = /(?:no such column|ambiguous column name): (?:[^\s.]+\.)?([^\s]+)/i.exec(error);
  if (!missingTable && !missingColumn) return undefined;
  const named = tablesNamedIn(schema, sql);
  const lines: string[] = [];
  if (missingTable) {
    lines.push(`The tables are: ${schema.tables.map((t) => t.name).join(", ")}.`);
    const columns = columnsNamedLike(schema, missingTable[1]);
    if (columns.length > 0)
      lines.push(`${missingTable[1]} is not a table; columns named like it: ${columns.join(", ")}.`);
  }
  if (missingColumn) {
    const holders = schema.tables.filter((t) => t.columns.some((c) => sameName(c.name, missingColumn[1])));
    if (holders.length > 0)
      lines.push(`${missingColumn[1]} is a column of: ${holders.map((t) => t.name).join(", ")}.`);
    lines.push(...joinsTo(schema, named, holders));
  }
  if (named.length > 0)
    lines.push(`Columns of the tables in the query:\n${named.map(describeTable).join("\n")}`);
  return lines.join("\n");
}

/** How to reach each of `holders` (two at most) from the query's tables, when it is not among them. */
export function joinsTo(schema: DatabaseSchema, named: SchemaTable[], holders: SchemaTable[]): string[] {
  if (named.length === 0) return [];
  return holders
    .filter((holder) => !named.includes(holder))
    .flatMap((holder) => {
      const path = joinPath(
        schema,
        named.map((t) => t.name),
        holder.name,
      );
      return path && path.length > 0 ? [`To reach ${holder.name}: ${path.join(" ")}`] : [];
    })
    .slice(0, 2);
}

/** `Track.Composer` for "Composer", `Customer.SupportRepId` for "SupportRep". */
function columnsNamedLike(schema: DatabaseSchema, name: string): string[] {
  const wanted = name.replace(/^["`[]|["`\]]$/g, "").toLowerCase();
  return schema.tables
    .flatMap((t) =>
      t.columns.filter((c) => c.name.toLowerCase().startsWith(wanted)).map((c) => `${t.name}.${c.name}`),
    )
    .slice(0, 5);
}

/** The tables of the schema that a query names. */
export function tablesNamedIn(schema: DatabaseSchema, sql: string): SchemaTable[] {
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
