import type { DatabaseSchema, SchemaTable } from "./introspect.js";
import { aliasesIn, columnInError, hasColumn, nameTokens, sameName, unquoted } from "./aliases.js";
import { joinPath } from "./join-path.js";

/**
 * Facts for a repair prompt. Given only SQLite's "no such column: T2.Quantity", a small model
 * mostly writes the same query again (measured: every repair of a wrong join failed so). Told which
 * columns the tables of its query have, and which table holds the column it wanted, it can fix the
 * join. A table it invented is often a column elsewhere ("Composer"), and the table it missed is
 * often one join away: both are said. Returns undefined for errors where the schema does not help.
 * When the facts go to the model without the failed query (`queryShown: false`), they name tables,
 * never the query's aliases.
 */
export function schemaHintFor(
  schema: DatabaseSchema,
  sql: string,
  error: string,
  { queryShown = true } = {},
): string | undefined {
  const missingTable = /no such table: (?:\w+\.)?([^\s]+)/i.exec(error);
  const missingColumn =
    columnInError(error, "no such column") ?? columnInError(error, "ambiguous column name");
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
    const { qualifier, column } = missingColumn;
    const holders = schema.tables.filter((t) => hasColumn(t, column));
    if (qualifier) lines.push(...qualifierFacts(schema, sql, { qualifier, column, holders, queryShown }));
    if (holders.length > 0) lines.push(`${column} is a column of: ${holders.map((t) => t.name).join(", ")}.`);
    else {
      // Shown the failed query, the model reads the error beside these facts; without it, only here.
      if (!queryShown) lines.push(`No table has a column ${column}.`);
      if (nameWords(column).some((word) => DATE_WORDS.has(word))) lines.push(...datePartFacts(named));
    }
    lines.push(...joinsTo(schema, named, holders));
  }
  if (named.length > 0)
    lines.push(`Columns of the tables in the query:\n${named.map(describeTable).join("\n")}`);
  return lines.join("\n");
}

/** A name's words: `InvoiceDate` and `invoice_date` are invoice, date. */
const nameWords = (name: string) =>
  name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
const DATE_WORDS = new Set(["date", "time", "datetime", "timestamp", "day", "month", "year"]);
const DATE_PART = /(^|_)(year|month|day|hour|minute)$/i;

/**
 * How a table keeps its dates as numbers in parts (year, month, day). A model asked "in July"
 * invents a `date` column for `strftime('%m', date)`; told the columns alone, Qwen2.5-Coder wrote
 * the same column again (New York's flights of 2013: year, month and day are numbers).
 */
function datePartFacts(tables: SchemaTable[]): string[] {
  return tables.flatMap((table) => {
    const parts = table.columns
      .filter((c) => c.holdsDates === false && DATE_PART.test(c.name))
      .map((c) => c.name);
    if (parts.length < 2) return [];
    const example = parts.find((part) => /month$/i.test(part)) ?? parts[0];
    return [
      `${table.name} keeps each date as numbers in ${parts.join(", ")}: compare those (e.g. ${example} = 7), not a date.`,
    ];
  });
}

/**
 * What the `T2` of "no such column: T2.ArtistId" stands for. A small model that joins three or four
 * tables as T1…T4 often asks a column of the wrong alias (measured on Chinook: every query that
 * never ran in four tries did), and the list of columns alone does not show it which alias is wrong.
 */
function qualifierFacts(
  schema: DatabaseSchema,
  sql: string,
  {
    qualifier,
    column,
    holders,
    queryShown,
  }: { qualifier: string; column: string; holders: SchemaTable[]; queryShown: boolean },
): string[] {
  const aliases = aliasesIn(schema, sql);
  const meant = aliases.filter((a) => sameName(a.alias, qualifier)).map((a) => a.table);
  const tables = [...new Set(meant)];
  if (tables.length > 1)
    return queryShown
      ? [
          `${qualifier} stands for more than one table (${tables.map((t) => t.name).join(", ")}): give each its own alias.`,
        ]
      : [];
  if (tables.length === 0)
    return declaredIn(sql, qualifier) || !queryShown
      ? []
      : [`${qualifier} is not a table or alias of the query.`];
  const [table] = tables;
  if (holders.includes(table)) return [];
  const named =
    sameName(table.name, qualifier) || !queryShown ? table.name : `${qualifier} is ${table.name}, which`;
  const inQuery = holders.filter((holder) => aliases.some((a) => a.table === holder));
  const where = inQuery.map((holder) => {
    const alias = aliases.find((a) => a.table === holder && a.alias !== holder.name)?.alias;
    return alias && queryShown ? `${holder.name} (${alias} in the query)` : holder.name;
  });
  return [
    `${named} has no column ${column}.${where.length > 0 ? ` ${column} is in ${where.join(" and ")}.` : ""}`,
    ...linkTo(schema, table, inQuery),
  ];
}

/**
 * The chain of keys from the alias's table to a table of the query that has the column: a model
 * that joins PlaylistTrack to Artist on ArtistId skipped Track and Album, and repeats the same
 * join when told only which columns exist.
 */
function linkTo(schema: DatabaseSchema, table: SchemaTable, holders: SchemaTable[]): string[] {
  for (const holder of holders) {
    const path = joinPath(schema, [table.name], holder.name);
    if (path && path.length > 0) return [`${table.name} links to ${holder.name} so: ${path.join(" ")}`];
  }
  return [];
}

/** Whether the query has `qualifier` anywhere but before a dot: a CTE or subquery named so. */
function declaredIn(sql: string, qualifier: string): boolean {
  const tokens = nameTokens(sql);
  return tokens.some(
    (token, index) => sameName(token.text, qualifier) && !tokens[index + 1]?.text.startsWith("."),
  );
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
  const wanted = unquoted(name).toLowerCase();
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
