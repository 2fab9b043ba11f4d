import { endOf, type SqlToken } from "../guard/index.js";
import type { DatabaseSchema, SchemaTable } from "./introspect.js";
import {
  callsAggregate,
  columnAt,
  columnInError,
  depthsOf,
  hasColumn,
  isSingleSelect,
  isWord,
  nameTokens,
  oneEquals,
  sameName,
  tablesReadIn,
  uniqueKeysOf,
  unquoted,
  type TableRead,
} from "./aliases.js";
import { ungroupedColumns } from "./grouping.js";
import { joinSteps, type JoinStep } from "./join-path.js";
import { ident } from "./render.js";

/**
 * A query SQLite refused for a column asked of the wrong table, rewritten to what it plainly meant;
 * undefined when that is not plain. The two slips of a small model that joins tables as T1, T2
 * (on Chinook, most of Qwen2.5-Coder's queries that never ran in four tries):
 * - a join on a column one of its tables lacks, which skips the tables in between:
 *   `Artist AS T1 JOIN PlaylistTrack AS T2 ON T1.ArtistId = T2.ArtistId` gets Album and Track
 *   joined in, along the foreign keys, and when they repeat rows (an artist once per track) a list
 *   of plain rows gets DISTINCT; an outer join, or two keys between the same tables, is left;
 * - a column asked of the wrong alias that only one other table of a single-SELECT query has:
 *   `SELECT T2.Country … FROM Customer AS T1 JOIN Invoice AS T2` becomes `T1.Country`;
 * - a column of a table the query never joined, which a key of one of its tables refers to:
 *   `SELECT city, SUM(total_amount) FROM invoices GROUP BY city` gets the invoice's customer
 *   joined in (`LEFT JOIN customers ON customers.id = invoices.customer_id`).
 * None guesses between two tables.
 */
export function mendedQuery(schema: DatabaseSchema, sql: string, error: string): string | undefined {
  const missing = columnInError(error, "no such column");
  if (!missing) return undefined;
  const { qualifier, column } = missing;
  const tokens = oneEquals(nameTokens(sql));
  const read = tablesReadIn(schema, sql);
  if (qualifier === undefined) return referencedTable(schema, sql, tokens, read, undefined, column);
  const at = tokens.findIndex((t, i) => isRef(tokens, i, qualifier, column));
  if (at < 0) return undefined;
  return (
    bridgedJoin(schema, sql, tokens, read, at) ??
    otherAlias(sql, tokens, read, qualifier, column) ??
    referencedTable(schema, sql, tokens, read, qualifier, column)
  );
}

/**
 * The same slip of the alias in a query SQLite runs: an aggregate query shows a column of a table
 * its groups do not fix (`SELECT T2.Name … FROM Genre AS T1 JOIN Track AS T2 … GROUP BY T1.GenreId`:
 * the name of one track of each genre, at random) where exactly one other table of the query has a
 * column of that name that the groups do fix (T1's Name). That column is shown, and ordered by,
 * instead: as a whole select item or ORDER BY term, never inside an aggregate or in WHERE (which
 * read the rows before grouping, where the column means what it says). Undefined unless every such
 * column has one, and when HAVING tests the column (it would then filter on another than it shows).
 */
export function regroupedQuery(schema: DatabaseSchema, sql: string): string | undefined {
  const ungrouped = ungroupedColumns(schema, sql);
  if (ungrouped.length === 0 || ungrouped.some((column) => !column.fixedTwin)) return undefined;
  const tokens = oneEquals(nameTokens(sql));
  const depths = depthsOf(tokens);
  const topLevel = (word: string) =>
    tokens.findIndex(
      (t, i) => depths[i] === 0 && isWord(t, word) && (word !== "ORDER" || isWord(tokens[i + 1], "BY")),
    );
  const fromAt = topLevel("FROM");
  const havingAt = topLevel("HAVING");
  const orderAt = topLevel("ORDER");
  const twinAt = (at: number) =>
    ungrouped.find((column) => isRef(tokens, at, column.qualifier, column.name))?.fixedTwin;
  const havingEnd = orderAt >= 0 ? orderAt : tokens.length;
  if (havingAt >= 0 && tokens.some((_, at) => at > havingAt && at < havingEnd && twinAt(at)))
    return undefined;
  const shown = (at: number) => depths[at] === 0 && (at < fromAt || (orderAt >= 0 && at > orderAt));
  let mended = "";
  let from = 0;
  tokens.forEach((token, at) => {
    const twin = shown(at) ? twinAt(at) : undefined;
    if (!twin) return;
    mended += `${sql.slice(from, token.start)}${writtenName(twin)}`;
    from = endOf(token);
  });
  mended += sql.slice(from);
  return mended === sql ? undefined : mended;
}

/** `JOIN X AS J ON O.c = J.c` (either way round) around the column at `at`, joined anew through the tables between O and J. */
function bridgedJoin(
  schema: DatabaseSchema,
  sql: string,
  tokens: SqlToken[],
  read: TableRead[],
  at: number,
): string | undefined {
  const onAt = tokens[at - 1]?.text.toUpperCase() === "ON" ? at - 1 : at - 4;
  if (tokens[onAt]?.text.toUpperCase() !== "ON" || tokens[onAt + 3]?.text !== "=") return undefined;
  const joinAt = tokens.findLastIndex((t, i) => i < onAt && t.text.toUpperCase() === "JOIN");
  if (joinAt < 0 || onAt - joinAt > 4) return undefined;
  // Joined in after LEFT, the tables between would make the join an inner one.
  if (OUTER_OR_CROSS.has(tokens[joinAt - 1]?.text.toUpperCase() ?? "")) return undefined;
  const joined = readAs(read, tokens[onAt - 1].text);
  const left = readAs(read, tokens[onAt + 1].text);
  const right = readAs(read, tokens[onAt + 4].text);
  if (!joined || !left || !right || left === right || (joined !== left && joined !== right)) return undefined;
  // `O.c = J.c`: the model took both tables to have c; one has it, as its key or a key's reference.
  const column = columnAt(tokens, onAt + 2);
  if (!column || !sameName(column, columnAt(tokens, onAt + 5) ?? "")) return undefined;
  const other = joined === left ? right : left;
  const steps = joinSteps(schema, [other.table.name], joined.table.name);
  if (!steps || steps.length === 0 || !followsColumn(steps, column)) return undefined;
  if (steps.some((step) => keysBetween(schema, step.from, step.to) > 1)) return undefined;
  const between = steps.slice(0, -1).map((step) => step.to);
  // A table the query reads already would be read twice, under one name.
  if (between.some((name) => read.some((r) => sameName(r.table.name, name)))) return undefined;
  const nameOf = (table: string) =>
    sameName(table, other.table.name)
      ? writtenName(other)
      : sameName(table, joined.table.name)
        ? writtenName(joined)
        : ident(table);
  const condition = (step: JoinStep) =>
    step.pairs
      .map((p) => `${nameOf(step.from)}.${ident(p.from)} = ${nameOf(step.to)}.${ident(p.to)}`)
      .join(" AND ");
  const inserted = steps
    .slice(0, -1)
    .map((step) => `JOIN ${ident(step.to)} ON ${condition(step)} `)
    .join("");
  const end = tokens[onAt + 5];
  const before = sql.slice(0, tokens[joinAt].start);
  return (
    (inserted && steps.some((step) => step.fansOut) && listsRows(tokens)
      ? withDistinct(before, tokens)
      : before) +
    inserted +
    sql.slice(tokens[joinAt].start, tokens[onAt].start) +
    `ON ${condition(steps[steps.length - 1])}` +
    sql.slice(endOf(end))
  );
}

const OUTER_OR_CROSS = new Set(["LEFT", "RIGHT", "FULL", "OUTER", "CROSS", "NATURAL"]);

/** Foreign keys between two tables, either way: with two (origin and destination), which one is a guess. */
function keysBetween(schema: DatabaseSchema, a: string, b: string): number {
  const keysOf = (from: string, to: string) =>
    schema.tables.find((t) => sameName(t.name, from))?.foreignKeys.filter((key) => sameName(key.table, to))
      .length ?? 0;
  return sameName(a, b) ? keysOf(a, b) : keysOf(a, b) + keysOf(b, a);
}

/**
 * A list of plain rows read through joins, as DISTINCT: for a list whose answer repeats rows, the
 * joins repeated them (a customer once per invoice billed to Prague, once per track bought from an
 * album), and nobody asking "which customers" means a customer twice. On Chinook and the demo,
 * every such answer of either model was wrong, 9 of 9, and none of their gold queries repeats a
 * row. Not with LIMIT, which would then keep other rows. Undefined for any other query.
 */
export function distinctList(sql: string): string | undefined {
  const tokens = nameTokens(sql);
  const joins = tokens.some((t) => isWord(t, "JOIN"));
  if (!listsRows(tokens) || !joins || tokens.some((t) => isWord(t, "LIMIT"))) return undefined;
  return withDistinct(sql, tokens);
}

/** A single SELECT of plain rows: no DISTINCT yet, no grouping, no aggregate. */
function listsRows(tokens: SqlToken[]): boolean {
  const words = tokens.filter((t) => t.kind === "word").map((t) => t.text.toUpperCase());
  const plain = !["DISTINCT", "ALL", "GROUP"].some((word) => words.includes(word));
  return isSingleSelect(tokens) && plain && !callsAggregate(tokens);
}

/**
 * The tables joined in repeat each row of the query once per row of theirs (an artist once per
 * track on the playlist): rows the query did not ask for, as it named none of those tables.
 */
function withDistinct(before: string, tokens: SqlToken[]): string {
  const select = tokens.find((t) => isWord(t, "SELECT"));
  if (!select || select.start > before.length) return before;
  const at = endOf(select);
  return `${before.slice(0, at)} DISTINCT${before.slice(at)}`;
}

/** The chain leaves, or reaches, the table that has the column by that very column. */
function followsColumn(steps: JoinStep[], column: string): boolean {
  const first = steps[0];
  const last = steps[steps.length - 1];
  return first.pairs.some((p) => sameName(p.from, column)) || last.pairs.some((p) => sameName(p.to, column));
}

/** Every `Q.c` as `R.c`, R being the one other table of the query that has c. */
function otherAlias(
  sql: string,
  tokens: SqlToken[],
  read: TableRead[],
  qualifier: string,
  column: string,
): string | undefined {
  // In a query with a subquery, the other table may be the outer query's: the column would correlate.
  if (!isSingleSelect(tokens)) return undefined;
  const asked = readAs(read, qualifier);
  const holders = read.filter((r) => r !== asked && hasColumn(r.table, column));
  if (!asked || holders.length !== 1) return undefined;
  const name = writtenName(holders[0]);
  let mended = "";
  let from = 0;
  tokens.forEach((token, i) => {
    if (!isRef(tokens, i, qualifier, column)) return;
    mended += `${sql.slice(from, token.start)}${name}`;
    from = endOf(token);
  });
  mended += sql.slice(from);
  // `R.c = R.c` compares a column with itself: the model meant another table, not R.
  return comparesWithItself(mended) ? undefined : mended;
}

/** `R.a = R.b`: after the mend, a join condition inside one table. */
function comparesWithItself(sql: string): boolean {
  const tokens = oneEquals(nameTokens(sql));
  const qualifierAt = (at: number) =>
    tokens[at + 1]?.text.startsWith(".") ? unquoted(tokens[at].text).toLowerCase() : undefined;
  return tokens.some(
    (t, i) => t.text === "=" && qualifierAt(i - 2) !== undefined && qualifierAt(i - 2) === qualifierAt(i + 1),
  );
}

function isRef(tokens: SqlToken[], at: number, qualifier: string, column: string): boolean {
  return sameName(qualifier, tokens[at].text) && sameName(column, columnAt(tokens, at + 1) ?? "");
}

function readAs(read: TableRead[], name: string): TableRead | undefined {
  const matches = read.filter((r) => r.names.some((n) => sameName(n, unquoted(name))));
  return matches.length === 1 ? matches[0] : undefined;
}

/** How the query must name the table: by its alias when it has one. */
function writtenName(table: TableRead): string {
  return ident(table.names[table.names.length - 1]);
}

/**
 * The column is in the table a foreign key of the query's table refers to: that table is joined in
 * by the key, LEFT, so each row of the query meets at most one row of it (the key refers to its
 * primary key or a unique one) and no row is lost; `Q.c` then names it, and a bare column both
 * tables have names the query's own. Only when exactly one key of the query's tables leads to a
 * table with the column (of the table `Q` names, when the column is asked of one), in a single
 * SELECT that no table of the query answers already, and where the join changes nothing else:
 * no `SELECT *`, no select alias the new table's columns would hide, no use of the column inside
 * the FROM clause (an ON before the join).
 */
function referencedTable(
  schema: DatabaseSchema,
  sql: string,
  tokens: SqlToken[],
  read: TableRead[],
  qualifier: string | undefined,
  column: string,
): string | undefined {
  if (!isSingleSelect(tokens)) return undefined;
  if (read.some((r) => hasColumn(r.table, column))) return undefined;
  const asked = qualifier === undefined ? undefined : readAs(read, qualifier);
  // `customers.city` of a query that reads no customers: the table is named, only the join is missing.
  const named = qualifier !== undefined && !asked ? qualifier : undefined;
  if (named && !schema.tables.some((t) => sameName(t.name, named))) return undefined;
  const link = onlyLink(schema, asked ? [asked] : read, column, named);
  if (!link || read.some((r) => r.names.some((name) => sameName(link.target.name, name)))) return undefined;
  const end = fromClauseEnd(tokens);
  if (end === undefined || !joinable(tokens, end, link.target, qualifier, column)) return undefined;
  const own = ownColumns(tokens, read, link.target);
  if (!own) return undefined;
  const name = ident(link.target.name);
  const on = link.pairs
    .map(([fk, key]) => `${name}.${ident(key)} = ${writtenName(link.from)}.${ident(fk)}`)
    .join(" AND ");
  const renamed = tokens.flatMap((token, i) =>
    asked && isRef(tokens, i, qualifier!, column)
      ? [{ at: token.start, length: token.text.length, text: name }]
      : [],
  );
  const space = (char: string | undefined) => (char === undefined || /\s/.test(char) ? "" : " ");
  const join = {
    at: end,
    length: 0,
    text: `${space(sql[end - 1])}LEFT JOIN ${name} ON ${on}${space(sql[end])}`,
  };
  return [...own, ...renamed, join]
    .sort((a, b) => b.at - a.at)
    .reduce((text, edit) => text.slice(0, edit.at) + edit.text + text.slice(edit.at + edit.length), sql);
}

interface Link {
  from: TableRead;
  target: SchemaTable;
  /** Each column of the key with the column it refers to. */
  pairs: [string, string][];
}

/** The one foreign key of the given tables that refers to a unique key of a table with the column. */
function onlyLink(
  schema: DatabaseSchema,
  tables: TableRead[],
  column: string,
  named: string | undefined,
): Link | undefined {
  const links = tables.flatMap((from) =>
    from.table.foreignKeys.flatMap((key): Link[] => {
      const target = schema.tables.find((t) => sameName(t.name, key.table));
      if (!target || !hasColumn(target, column) || (named && !sameName(target.name, named))) return [];
      const refers = key.toColumns.length > 0 ? key.toColumns : target.primaryKey;
      if (refers.length !== key.columns.length || !isUniqueKey(target, refers)) return [];
      return [{ from, target, pairs: key.columns.map((fk, i) => [fk, refers[i]]) }];
    }),
  );
  return links.length === 1 ? links[0] : undefined;
}

/**
 * The join adds nothing the query did not ask for: no `*` would take in the new table's columns, no
 * select alias is one of them (SQLite reads a name in WHERE as a column first), and the column is
 * not used inside the FROM clause, where an ON cannot see a table joined after it.
 */
function joinable(
  tokens: SqlToken[],
  end: number,
  target: SchemaTable,
  qualifier: string | undefined,
  column: string,
): boolean {
  const from = tokens.findIndex((t) => isWord(t, "FROM"));
  return !tokens.some(
    (t, i) =>
      (t.text === "*" && SELECT_ITEM_START.has(tokens[i - 1]?.text.toUpperCase() ?? "")) ||
      (isWord(tokens[i - 1], "AS") && hasColumn(target, unquoted(t.text))) ||
      (i > from &&
        t.start < end &&
        (qualifier === undefined
          ? isBare(tokens, i) && sameName(column, t.text)
          : isRef(tokens, i, qualifier, column))),
  );
}

const SELECT_ITEM_START = new Set(["SELECT", "DISTINCT", "ALL", ","]);

/**
 * A bare column the new table shares with a table of the query (`CustomerId` of Invoice, now also
 * of Customer) would be ambiguous: it is qualified with the query's table, the one it meant. Undefined
 * when two tables of the query have it already.
 */
function ownColumns(
  tokens: SqlToken[],
  read: TableRead[],
  target: SchemaTable,
): { at: number; length: number; text: string }[] | undefined {
  const edits: { at: number; length: number; text: string }[] = [];
  for (const [i, token] of tokens.entries()) {
    if (!isBare(tokens, i) || !hasColumn(target, unquoted(token.text))) continue;
    const holders = read.filter((r) => hasColumn(r.table, unquoted(token.text)));
    if (holders.length > 1) return undefined;
    if (holders.length === 1) edits.push({ at: token.start, length: 0, text: `${writtenName(holders[0])}.` });
  }
  return edits;
}

/** A name standing alone as a column: not qualified, not a qualifier, not a function, table or alias. */
function isBare(tokens: SqlToken[], at: number): boolean {
  const token = tokens[at];
  if (token.kind !== "word" && token.kind !== "identifier") return false;
  const next = tokens[at + 1]?.text ?? "";
  const previous = tokens[at - 1]?.text.toUpperCase() ?? "";
  return next !== "(" && !next.startsWith(".") && !NAMES_A_TABLE.has(previous);
}

/** After these a name is a table or an alias, not a column. */
const NAMES_A_TABLE = new Set(["FROM", "JOIN", "AS"]);

/** The columns a key refers to are the table's primary key, or a unique index's columns. */
function isUniqueKey(table: SchemaTable | undefined, columns: string[]): table is SchemaTable {
  const same = (key: string[]) =>
    key.length === columns.length && key.every((name) => columns.some((c) => sameName(c, name)));
  return table !== undefined && columns.length > 0 && uniqueKeysOf(table).some(same);
}

const AFTER_FROM = new Set(["WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT"]);

/** Where the FROM clause of a single SELECT ends: the offset of what follows it, or the query's end. */
function fromClauseEnd(tokens: SqlToken[]): number | undefined {
  const from = tokens.findIndex((t) => isWord(t, "FROM"));
  if (from < 0) return undefined;
  // A table may be called Window or Order: after FROM, JOIN or AS the word is a name.
  const after = tokens.find(
    (t, i) =>
      i > from &&
      (t.text === ";" ||
        (t.kind === "word" &&
          AFTER_FROM.has(t.text.toUpperCase()) &&
          ![...NAMES_A_TABLE, ","].includes(tokens[i - 1].text.toUpperCase()))),
  );
  if (after) return after.start;
  return endOf(tokens[tokens.length - 1]);
}
