import { type SqlToken } from "../guard/index.js";
import type { DatabaseSchema, SchemaTable } from "./introspect.js";
import {
  columnAt,
  hasColumn,
  isSingleSelect,
  isWord,
  nameTokens,
  oneEquals,
  sameName,
  splitTopLevel,
  tablesReadIn,
  uniqueKeysOf,
  unquoted,
  type TableRead,
} from "./aliases.js";

/** A column an aggregate query shows that its groups do not determine. */
export interface UngroupedColumn {
  /** As the query writes it: `T2.Name`. */
  column: string;
  qualifier: string;
  /** The column's own name: `Name`. */
  name: string;
  table: SchemaTable;
  /**
   * The one other table of the query whose column of that name the groups do fix (`T1` of
   * `GROUP BY T1.GenreId`, which has a Name too), when there is exactly one.
   */
  fixedTwin?: TableRead;
}

interface ColumnRef {
  qualifier?: string;
  column: string;
}

/**
 * The columns an aggregate query shows that neither its GROUP BY nor an aggregate fixes. SQLite
 * runs `SELECT T2.Name FROM Genre AS T1 JOIN Track AS T2 … GROUP BY T1.GenreId` (other databases
 * refuse it) and shows the Name of an arbitrary track of each genre: the slip of a small model that
 * takes the wrong one of two aliases. A table is fixed by a group when its key is: grouped, or
 * equal (by a join condition) to a fixed column, so `GROUP BY al.AlbumId` fixes the album's artist
 * too, and so does a key the query compares with a constant. Only a query this reads for sure is
 * read: a single SELECT of tables, with ON or WHERE conditions (not USING or NATURAL), and no MIN()
 * or MAX() beside the column (SQLite then shows the row of that minimum or maximum, on purpose).
 */
export function ungroupedColumns(schema: DatabaseSchema, sql: string): UngroupedColumn[] {
  const tokens = oneEquals(nameTokens(sql));
  const groupAt = tokens.findIndex((t, i) => isWord(t, "GROUP") && isWord(tokens[i + 1], "BY"));
  const fromAt = tokens.findIndex((t) => isWord(t, "FROM"));
  if (!isSingleSelect(tokens) || groupAt < 0 || fromAt < 0 || !readable(tokens)) return [];
  const list = tokens.slice(1, fromAt);
  if (list.some((t, i) => (isWord(t, "MIN") || isWord(t, "MAX")) && list[i + 1]?.text === "(")) return [];
  const read = tablesReadIn(schema, sql);
  if (read.some((r) => r.table.kind !== "table")) return [];
  const resolve = resolverFor(read);
  const selected = selectedColumns(list);
  const grouped = groupedColumns(tokens.slice(groupAt + 2, clauseEnd(tokens, groupAt + 2)), selected);
  const joined = equalities(tokens).flatMap(([a, b]) => {
    const left = resolve(a);
    const right = resolve(b);
    return left && right ? [[left, right] as const] : [];
  });
  const fixed = fixedColumns(
    read,
    [...grouped, ...constants(tokens)].flatMap((ref) => resolve(ref) ?? []),
    joined,
  );
  // A table fixed by a constant filter is one row for the whole answer, not one for each group.
  const fixedByGroups = fixedColumns(
    read,
    grouped.flatMap((ref) => resolve(ref) ?? []),
    joined,
  );
  const shown = new Set(
    selected.flatMap(({ ref }) => {
      const column = ref && resolve(ref);
      return column ? [keyOf(column)] : [];
    }),
  );
  return selected.flatMap(({ ref }) => {
    const resolved = ref && resolve(ref);
    if (!ref || !resolved || fixed.has(keyOf(resolved))) return [];
    const { table } = read[resolved.at];
    const qualifier = ref.qualifier ?? table.name;
    const fixedTwin = fixedTwinOf(read, resolved, fixedByGroups, shown);
    return [
      {
        column: `${qualifier}.${ref.column}`,
        qualifier,
        name: ref.column,
        table,
        ...(fixedTwin ? { fixedTwin } : {}),
      },
    ];
  });
}

/**
 * Each item of a single SELECT's list as the column of a table it is (`T1.ArtistId`, `ArtistId AS
 * a`), or undefined for anything else (an expression, an aggregate, a column two tables have);
 * undefined for a query this does not read for sure (see ungroupedColumns).
 */
export function selectedTableColumns(
  schema: DatabaseSchema,
  sql: string,
): ({ table: SchemaTable; column: string } | undefined)[] | undefined {
  const tokens = oneEquals(nameTokens(sql));
  const fromAt = tokens.findIndex((t) => isWord(t, "FROM"));
  if (!isSingleSelect(tokens) || !isWord(tokens[0], "SELECT") || fromAt < 0 || !readable(tokens))
    return undefined;
  const read = tablesReadIn(schema, sql);
  const resolve = resolverFor(read);
  return selectedColumns(tokens.slice(1, fromAt)).map(({ ref }) => {
    const resolved = ref && resolve(ref);
    return resolved && { table: read[resolved.at].table, column: resolved.column };
  });
}

/** A column reference as the column of one of the tables read: by its qualifier, or the one table that has it. */
function resolverFor(read: TableRead[]): (ref: ColumnRef) => Column | undefined {
  return (ref) => {
    const matches = read.flatMap((o, at) =>
      (ref.qualifier ? o.names.some((n) => sameName(n, ref.qualifier ?? "")) : hasColumn(o.table, ref.column))
        ? [at]
        : [],
    );
    return matches.length === 1 ? { at: matches[0], column: ref.column } : undefined;
  };
}

/**
 * The one other table with a column of that name that the groups fix; none when the query shows
 * that column already (then it is not what the query meant by this one).
 */
function fixedTwinOf(
  read: TableRead[],
  column: Column,
  fixedByGroups: Set<string>,
  shown: Set<string>,
): TableRead | undefined {
  const twins = read.flatMap((other, at) => {
    const twin = { at, column: column.column };
    return at !== column.at && hasColumn(other.table, column.column) && fixedByGroups.has(keyOf(twin))
      ? [{ other, shown: shown.has(keyOf(twin)) }]
      : [];
  });
  return twins.length === 1 && !twins[0].shown ? twins[0].other : undefined;
}

/** A column of one table the query reads (`at`: which one, for a table read twice). */
interface Column {
  at: number;
  column: string;
}

function fixedColumns(
  read: TableRead[],
  grouped: Column[],
  equal: (readonly [Column, Column])[],
): Set<string> {
  const fixed = new Set(grouped.map(keyOf));
  for (let grew = true; grew;) {
    const before = fixed.size;
    read.forEach(({ table }, at) => {
      if (!uniqueKeysOf(table).some((key) => key.every((column) => fixed.has(keyOf({ at, column }))))) return;
      for (const column of table.columns) fixed.add(keyOf({ at, column: column.name }));
    });
    for (const [a, b] of equal) {
      if (fixed.has(keyOf(a))) fixed.add(keyOf(b));
      if (fixed.has(keyOf(b))) fixed.add(keyOf(a));
    }
    grew = fixed.size > before;
  }
  return fixed;
}

/** The primary key and every unique index: grouping by any of them fixes the row. */

interface SelectedItem {
  /** The column the item is, when it is a column and nothing more (`T2.Name`, `Name AS n`). */
  ref?: ColumnRef;
  /** The name the item is given with AS. */
  name?: string;
}

function selectedColumns(list: SqlToken[]): SelectedItem[] {
  return splitTopLevel(list).map((item) => {
    const tokens = isWord(item[0], "DISTINCT") || isWord(item[0], "ALL") ? item.slice(1) : item;
    const as = tokens.length - 2;
    if (as > 0 && isWord(tokens[as], "AS"))
      return { ...whole(tokens.slice(0, as)), name: unquoted(tokens[as + 1].text) };
    const ref = refAt(tokens, 0);
    const length = ref?.qualifier ? 2 : 1;
    // `T2.Name n`: a name without AS.
    if (ref && tokens.length === length + 1) return { ref, name: unquoted(tokens[length].text) };
    return whole(tokens);
  });
}

/** The item when it is a column and nothing more. */
function whole(tokens: SqlToken[]): SelectedItem {
  const ref = refAt(tokens, 0);
  return ref && tokens.length === (ref.qualifier ? 2 : 1) ? { ref } : {};
}

/** GROUP BY's columns; a select item's name or position (`GROUP BY 1`) stands for that item. */
function groupedColumns(clause: SqlToken[], selected: SelectedItem[]): ColumnRef[] {
  return clause.flatMap((token, at) => {
    if (token.text.startsWith(".")) return [];
    if (token.kind === "number") return selected[Number(token.text) - 1]?.ref ?? [];
    const ref = refAt(clause, at);
    if (!ref) return [];
    const item = ref.qualifier ? undefined : selected.find((s) => s.name && sameName(s.name, ref.column));
    return item ? (item.ref ?? []) : [ref];
  });
}

/**
 * Not USING or NATURAL (columns joined without a condition to read), and every column after a dot
 * read whole: the lexer reads `T1."Id"` as `T1`, `.`, `"Id"`, and `c.Prénom` as `c`, `.Pr`, `énom`.
 */
function readable(tokens: SqlToken[]): boolean {
  if (tokens.some((t) => isWord(t, "USING") || isWord(t, "NATURAL"))) return false;
  return !tokens.some((token, at) => {
    if (token.kind !== "symbol" || !token.text.startsWith(".")) return false;
    const next = tokens[at + 1];
    return (
      token.text === "." ||
      (next !== undefined && next.start === token.start + token.text.length && next.kind !== "symbol")
    );
  });
}

/** Columns the query compares with a constant (`WHERE g.GenreId = 1`): one value in every group. */
function constants(tokens: SqlToken[]): ColumnRef[] {
  const literal = (token?: SqlToken) => token?.kind === "string" || token?.kind === "number";
  return tokens.flatMap((token, at) => {
    if (token.text !== "=") return [];
    const left = refEndingAt(tokens, at - 1);
    const right = refAt(tokens, at + 1);
    if (left && literal(tokens[at + 1])) return [left];
    return right && literal(tokens[at - 1]) ? [right] : [];
  });
}

/** Every `a.x = b.y` of the query: the join conditions, and filters that tie two columns. */
function equalities(tokens: SqlToken[]): [ColumnRef, ColumnRef][] {
  return tokens.flatMap((token, at) => {
    if (token.text !== "=") return [];
    const left = refEndingAt(tokens, at - 1);
    const right = refAt(tokens, at + 1);
    return left && right ? [[left, right]] : [];
  });
}

/** A column at `at`: the lexer reads `T2.Name` as the word `T2` and the symbol `.Name`. */
function refAt(tokens: SqlToken[], at: number): ColumnRef | undefined {
  const token = tokens[at];
  if (!token || (token.kind !== "word" && token.kind !== "identifier")) return undefined;
  const column = columnAt(tokens, at + 1);
  if (column) return { qualifier: unquoted(token.text), column };
  if (tokens[at + 1]?.text === "(") return undefined;
  return { column: unquoted(token.text) };
}

function refEndingAt(tokens: SqlToken[], at: number): ColumnRef | undefined {
  return tokens[at]?.text.startsWith(".") ? refAt(tokens, at - 1) : refAt(tokens, at);
}

function clauseEnd(tokens: SqlToken[], from: number): number {
  const end = tokens.findIndex(
    (t, i) => i >= from && ["HAVING", "ORDER", "LIMIT", "WINDOW"].some((word) => isWord(t, word)),
  );
  return end < 0 ? tokens.length : end;
}

function keyOf({ at, column }: Column): string {
  return `${at}.${column.toLowerCase()}`;
}
