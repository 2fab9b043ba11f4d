import { createHash } from "node:crypto";
import type Database from "better-sqlite3";

export interface SchemaColumn {
  name: string;
  /** Declared type as written in the DDL ("" when none). */
  type: string;
  notNull: boolean;
  /** Default value expression as written in the DDL, or null. */
  defaultValue: string | null;
  /** Position in the primary key (1-based), 0 when not part of it. */
  primaryKey: number;
  /** A few frequent values of a low-cardinality text column (e.g. statuses), most frequent first. */
  samples?: string[];
  /**
   * Whether SQLite's date functions read its first rows' values as dates or times: false for
   * codes, names and plain numbers (a year such as 2013, 517 for 5:17); absent when those rows hold
   * no value (NULL, '', 0, '0000-00-00'), or the relation is a view.
   */
  holdsDates?: boolean;
}

export interface SchemaForeignKey {
  columns: string[];
  table: string;
  /** Referenced columns; empty means the referenced table's primary key. */
  toColumns: string[];
  onUpdate: string;
  onDelete: string;
}

export interface SchemaIndex {
  name: string;
  unique: boolean;
  columns: string[];
  /** "c" created by CREATE INDEX, "u" by a UNIQUE constraint, "pk" by the primary key. */
  origin: string;
  partial: boolean;
}

export interface SchemaTable {
  name: string;
  kind: "table" | "view" | "virtual";
  /** The CREATE statement stored in sqlite_schema. */
  sql: string | null;
  columns: SchemaColumn[];
  primaryKey: string[];
  foreignKeys: SchemaForeignKey[];
  indexes: SchemaIndex[];
  /** Row count of tables (null for views). */
  rowCount: number | null;
}

export interface DatabaseSchema {
  tables: SchemaTable[];
  /** sha256 of the structure (tables, columns, keys, indexes), never of row data. */
  fingerprint: string;
}

/** How many of a table's first rows tell whether a column holds dates. */
const DATE_SCAN_ROWS = 20;
/** A smaller number is no date: as a Julian day it falls before 4400 BC, as unix time in 1970. */
const SMALLEST_DATE_NUMBER = 100_000;

/** A text column with at most this many distinct values (in its first rows) gets samples. */
const MAX_DISTINCT_FOR_SAMPLES = 12;
const SAMPLES_PER_COLUMN = 5;
const SAMPLE_SCAN_ROWS = 20_000;
const MAX_SAMPLE_LENGTH = 40;

/** Reads the structure of every table and view of the database, with row counts and sample values. */
export function introspectSchema(db: Database.Database): DatabaseSchema {
  const tables = listRelations(db).map(({ name, kind }) => describeRelation(db, name, kind));
  return { tables, fingerprint: fingerprintOf(tables) };
}

function listRelations(db: Database.Database): Array<{ name: string; kind: SchemaTable["kind"] }> {
  const rows = db
    .prepare(
      "SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type IN ('table', 'view', 'virtual') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .all() as Array<{ name: string; type: SchemaTable["kind"] }>;
  return rows.map((row) => ({ name: row.name, kind: row.type }));
}

function describeRelation(db: Database.Database, name: string, kind: SchemaTable["kind"]): SchemaTable {
  const columns = readColumns(db, name);
  const table: SchemaTable = {
    name,
    kind,
    sql:
      (db.prepare("SELECT sql FROM sqlite_schema WHERE name = ?").pluck().get(name) as string | null) ?? null,
    columns,
    primaryKey: columns
      .filter((c) => c.primaryKey > 0)
      .sort((a, b) => a.primaryKey - b.primaryKey)
      .map((c) => c.name),
    foreignKeys: readForeignKeys(db, name),
    indexes: kind === "table" ? readIndexes(db, name) : [],
    rowCount: kind === "view" ? null : countRows(db, name),
  };
  for (const column of columns) {
    if (kind === "view" || column.primaryKey !== 0) continue;
    const samples = isDateLike(column)
      ? dateSample(db, name, column.name)
      : isTextual(column)
        ? lowCardinalitySamples(db, name, column.name)
        : undefined;
    if (samples) column.samples = samples;
  }
  if (kind !== "view") markDateColumns(db, name, columns);
  return table;
}

/** Sets `holdsDates` on each column from the table's first rows. */
function markDateColumns(db: Database.Database, table: string, columns: SchemaColumn[]): void {
  let rows: unknown[][];
  try {
    // A blob is no date, and need not be read whole; a text is one in its first characters.
    const list = columns
      .map((column) => quoteIdentifier(column.name))
      .map(
        (name) =>
          `CASE typeof(${name}) WHEN 'blob' THEN NULL WHEN 'text' THEN substr(${name}, 1, 40) ELSE ${name} END`,
      )
      .join(", ");
    rows = db
      .prepare(`SELECT ${list} FROM ${quoteIdentifier(table)} LIMIT ${DATE_SCAN_ROWS}`)
      .raw()
      .all() as unknown[][];
  } catch {
    return; // e.g. a virtual table whose module is not available here
  }
  const readsAsDate = db.prepare("SELECT julianday(?) IS NOT NULL").pluck();
  const isDate = (value: unknown): boolean => {
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof number === "number" && Number.isFinite(number)) return number >= SMALLEST_DATE_NUMBER;
    return typeof value === "string" && readsAsDate.get(value) === 1;
  };
  columns.forEach((column, at) => {
    const values = rows.map((row) => row[at]).filter((value) => !isPlaceholder(value));
    if (values.length > 0) column.holdsDates = values.some(isDate);
  });
}

/** No value, or one that stands for none in a date column: '', 0, '0000-00-00'. */
function isPlaceholder(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === 0 ||
    (typeof value === "string" && (value.trim() === "" || value.startsWith("0000-00-00")))
  );
}

function readColumns(db: Database.Database, table: string): SchemaColumn[] {
  const rows = db
    .prepare(
      'SELECT name, type, "notnull" AS isNotNull, dflt_value AS defaultValue, pk FROM pragma_table_info(?) ORDER BY cid',
    )
    .all(table) as Array<{
    name: string;
    type: string;
    isNotNull: number;
    defaultValue: string | null;
    pk: number;
  }>;
  return rows.map((row) => ({
    name: row.name,
    type: row.type,
    notNull: row.isNotNull === 1,
    defaultValue: row.defaultValue,
    primaryKey: row.pk,
  }));
}

function readForeignKeys(db: Database.Database, table: string): SchemaForeignKey[] {
  const rows = db
    .prepare(
      'SELECT id, seq, "table" AS target, "from" AS source, "to" AS destination, on_update AS onUpdate, on_delete AS onDelete FROM pragma_foreign_key_list(?) ORDER BY id, seq',
    )
    .all(table) as Array<{
    id: number;
    target: string;
    source: string;
    destination: string | null;
    onUpdate: string;
    onDelete: string;
  }>;
  const byId = new Map<number, SchemaForeignKey>();
  for (const row of rows) {
    const key = byId.get(row.id) ?? {
      columns: [],
      table: row.target,
      toColumns: [],
      onUpdate: row.onUpdate,
      onDelete: row.onDelete,
    };
    key.columns.push(row.source);
    if (row.destination) key.toColumns.push(row.destination);
    byId.set(row.id, key);
  }
  return [...byId.values()];
}

function readIndexes(db: Database.Database, table: string): SchemaIndex[] {
  const rows = db
    .prepare('SELECT name, "unique" AS isUnique, origin, partial FROM pragma_index_list(?) ORDER BY name')
    .all(table) as Array<{
    name: string;
    isUnique: number;
    origin: string;
    partial: number;
  }>;
  const columnsOf = db
    .prepare("SELECT coalesce(name, '<expression>') FROM pragma_index_info(?) ORDER BY seqno")
    .pluck();
  return rows.map((row) => ({
    name: row.name,
    unique: row.isUnique === 1,
    columns: columnsOf.all(row.name) as string[],
    origin: row.origin,
    partial: row.partial === 1,
  }));
}

function countRows(db: Database.Database, table: string): number | null {
  try {
    return Number(
      db
        .prepare(`SELECT count(*) FROM ${quoteIdentifier(table)}`)
        .pluck()
        .get(),
    );
  } catch {
    return null; // e.g. a virtual table whose module is not available here
  }
}

function isTextual(column: SchemaColumn): boolean {
  const type = column.type.toUpperCase();
  return type === "" || type.includes("CHAR") || type.includes("TEXT") || type.includes("CLOB");
}

/** Dates are stored in many shapes ('2021-01-01 00:00:00', '01/02/2021', unix seconds): a query must match the shape. */
export function isDateLike(column: SchemaColumn): boolean {
  return /DATE|TIME/i.test(column.type) || /(^|_)(date|time)$|Date$|_at$/.test(column.name);
}

/** One stored value of a date column, so the model sees the format it must compare with. */
function dateSample(db: Database.Database, table: string, column: string): string[] | undefined {
  const value = db
    .prepare(
      `SELECT ${quoteIdentifier(column)} FROM ${quoteIdentifier(table)} WHERE ${quoteIdentifier(column)} IS NOT NULL LIMIT 1`,
    )
    .pluck()
    .get();
  return typeof value === "string" && value.length <= MAX_SAMPLE_LENGTH ? [value] : undefined;
}

/** Frequent values of a text column with few distinct values, each repeated (so not names or codes). */
function lowCardinalitySamples(db: Database.Database, table: string, column: string): string[] | undefined {
  const quoted = quoteIdentifier(column);
  const groups = db
    .prepare(
      `SELECT value, count(*) AS n FROM (SELECT ${quoted} AS value FROM ${quoteIdentifier(table)} LIMIT ${SAMPLE_SCAN_ROWS}) ` +
        `WHERE value IS NOT NULL AND typeof(value) = 'text' GROUP BY value ORDER BY n DESC, value LIMIT ${MAX_DISTINCT_FOR_SAMPLES + 1}`,
    )
    .all() as Array<{ value: string; n: number }>;
  if (groups.length === 0 || groups.length > MAX_DISTINCT_FOR_SAMPLES) return undefined;
  const nonNullRows = groups.reduce((sum, group) => sum + group.n, 0);
  if (groups.length * 2 > nonNullRows) return undefined;
  if (groups.some((group) => group.value.length > MAX_SAMPLE_LENGTH)) return undefined;
  return groups.slice(0, SAMPLES_PER_COLUMN).map((group) => group.value);
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function fingerprintOf(tables: SchemaTable[]): string {
  const structure = tables.map((table) => ({
    name: table.name,
    kind: table.kind,
    columns: table.columns.map(({ name, type, notNull, defaultValue, primaryKey }) => [
      name,
      type,
      notNull,
      defaultValue,
      primaryKey,
    ]),
    foreignKeys: table.foreignKeys,
    indexes: table.indexes,
  }));
  return createHash("sha256").update(JSON.stringify(structure)).digest("hex");
}
