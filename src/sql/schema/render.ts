import type { DatabaseSchema, SchemaColumn, SchemaTable } from "./introspect.js";
import { quoteIdentifier } from "./introspect.js";

export interface RenderSchemaOptions {
  /** Only these tables (case-insensitive); all when absent. */
  tables?: string[];
  /** Add `-- e.g. 'paid', 'unpaid'` comments for low-cardinality text columns (default true). */
  withSamples?: boolean;
  /** Add a `-- N rows` comment per table (default true). */
  withRowCounts?: boolean;
  /** Add NOT NULL and DEFAULT (default true). */
  withConstraints?: boolean;
}

/**
 * The schema as a text-to-SQL prompt shows it: with sample values, without row counts, NOT NULL and
 * DEFAULT. A query seldom needs those, and they are a quarter of the demo schema's tokens (1,687 →
 * 1,290 with Qwen's tokenizer), every one of which each question's tokens attend to.
 */
export const PROMPT_SCHEMA: RenderSchemaOptions = {
  withSamples: true,
  withRowCounts: false,
  withConstraints: false,
};

/** The prompt's schema without sample values, for a schema too wide to show with them. */
export const LEAN_PROMPT_SCHEMA: RenderSchemaOptions = { ...PROMPT_SCHEMA, withSamples: false };

/**
 * Compact DDL for prompts: one CREATE per table or view with types, keys, foreign-key references
 * and (optionally) sample values, in a form small models read well.
 */
export function renderSchemaDdl(schema: DatabaseSchema, options: RenderSchemaOptions = {}): string {
  const wanted = options.tables ? new Set(options.tables.map((name) => name.toLowerCase())) : undefined;
  return schema.tables
    .filter((table) => !wanted || wanted.has(table.name.toLowerCase()))
    .map((table) => renderTable(table, options))
    .join("\n\n");
}

function renderTable(table: SchemaTable, options: RenderSchemaOptions): string {
  const singlePrimaryKey = table.primaryKey.length === 1;
  const lines = table.columns.map((column) => ({
    text: renderColumn(table, column, singlePrimaryKey, options.withConstraints !== false),
    comment:
      options.withSamples !== false && column.samples
        ? ` -- e.g. ${column.samples.map(quoteText).join(", ")}`
        : "",
  }));
  if (table.primaryKey.length > 1)
    lines.push({ text: `PRIMARY KEY (${table.primaryKey.map(ident).join(", ")})`, comment: "" });
  for (const key of table.foreignKeys.filter((k) => k.columns.length > 1)) {
    const text = `FOREIGN KEY (${key.columns.map(ident).join(", ")}) REFERENCES ${ident(key.table)}(${key.toColumns.map(ident).join(", ")})`;
    lines.push({ text, comment: "" });
  }
  const body = lines
    .map((line, index) => `  ${line.text}${index < lines.length - 1 ? "," : ""}${line.comment}`)
    .join("\n");
  const kind = table.kind === "view" ? "VIEW" : "TABLE";
  const rows = options.withRowCounts !== false && table.rowCount !== null ? ` -- ${table.rowCount} rows` : "";
  return `CREATE ${kind} ${ident(table.name)} (${rows}\n${body}\n);`;
}

function renderColumn(
  table: SchemaTable,
  column: SchemaColumn,
  singlePrimaryKey: boolean,
  withConstraints: boolean,
): string {
  const parts = [ident(column.name)];
  if (column.type) parts.push(column.type);
  if (singlePrimaryKey && column.primaryKey === 1) parts.push("PRIMARY KEY");
  if (withConstraints && column.notNull && column.primaryKey === 0) parts.push("NOT NULL");
  if (withConstraints && column.defaultValue !== null) parts.push(`DEFAULT ${column.defaultValue}`);
  const reference = table.foreignKeys.find(
    (key) => key.columns.length === 1 && key.columns[0] === column.name,
  );
  if (reference)
    parts.push(
      `REFERENCES ${ident(reference.table)}${reference.toColumns.length ? `(${ident(reference.toColumns[0])})` : ""}`,
    );
  return parts.join(" ");
}

/** Quotes a name only when it needs it, keeping the DDL readable. */
export function ident(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toUpperCase())
    ? name
    : quoteIdentifier(name);
}

/** A text as an SQL literal: `O'Brien` as `'O''Brien'`. */
export function quoteText(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const RESERVED = new Set(
  "ADD ALL ALTER AND AS AUTOINCREMENT BETWEEN CASE CAST CHECK COLLATE COMMIT CONSTRAINT CREATE CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DEFAULT DEFERRABLE DELETE DISTINCT DROP ELSE ESCAPE EXCEPT EXISTS FOREIGN FROM GROUP HAVING IN INDEX INSERT INTERSECT INTO IS ISNULL JOIN LIMIT NOT NOTHING NOTNULL NULL ON OR ORDER PRIMARY RAISE REFERENCES RETURNING SELECT SET TABLE THEN TO TRANSACTION UNION UNIQUE UPDATE USING VALUES WHEN WHERE".split(
    " ",
  ),
);
