import { sameName } from "./aliases.js";
import { selectedTableColumns } from "./grouping.js";
import type { DatabaseSchema, SchemaTable } from "./introspect.js";

/** An integer key an answer shows, and what a person knows its rows by. */
export interface ShownKey {
  /** As `Table.Column`: `Album.ArtistId`. */
  column: string;
  /** The table whose rows the key's numbers stand for: Artist for Album.ArtistId, Album for Album.AlbumId. */
  names: SchemaTable;
  /** That table's name or title column: `Name` of Artist. */
  label: string;
}

/**
 * The keys a query shows when it shows nothing else: every item of its select list is an integer
 * key (its table's own, or one that refers to another table) of a table that has a name or a title
 * (`SELECT ArtistId FROM Album GROUP BY ArtistId …`). Undefined otherwise, and for rows a person
 * knows by their number (an invoice has no name).
 */
export function keysOnlyShown(schema: DatabaseSchema, sql: string): ShownKey[] | undefined {
  const columns = selectedTableColumns(schema, sql);
  if (!columns || columns.length === 0) return undefined;
  const keys = columns.map((column) => column && shownKey(schema, column.table, column.column));
  return keys.every((key) => key !== undefined) ? keys : undefined;
}

function shownKey(schema: DatabaseSchema, table: SchemaTable, name: string): ShownKey | undefined {
  const column = table.columns.find((c) => sameName(c.name, name));
  // SQLite's rule: a declared type with INT in it holds integers.
  if (!column || !/INT/i.test(column.type)) return undefined;
  const reference = table.foreignKeys.find(
    (k) => k.columns.length === 1 && sameName(k.columns[0], column.name),
  );
  const ownKey = table.primaryKey.length === 1 && sameName(table.primaryKey[0], column.name);
  const names = reference
    ? schema.tables.find((t) => sameName(t.name, reference.table))
    : ownKey
      ? table
      : undefined;
  const label = names && labelOf(names);
  return names && label ? { column: `${table.name}.${column.name}`, names, label } : undefined;
}

/**
 * The text column that names a row: a name first (an employee's job title is no name; of LastName
 * and FirstName the first written, which tells the rows apart well enough), else a title.
 */
function labelOf(table: SchemaTable): string | undefined {
  const text = table.columns.filter((c) => /CHAR|CLOB|TEXT/i.test(c.type) && c.primaryKey === 0);
  return (text.find((c) => /name/i.test(c.name)) ?? text.find((c) => /title/i.test(c.name)))?.name;
}
