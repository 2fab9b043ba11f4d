import { endOf, type SqlToken } from "../guard/index.js";
import type { DatabaseSchema, SchemaTable } from "./introspect.js";
import {
  columnAt,
  hasColumn,
  isSingleSelect,
  nameTokens,
  oneEquals,
  sameName,
  tablesReadIn,
  uniqueKeysOf,
  unquoted,
  type TableRead,
} from "./aliases.js";
import { ident } from "./render.js";

/** Two tables of a query joined on part of a key that takes several columns to name a row. */
interface PartialKeyJoin {
  /** The key's column pairs the query leaves out, as the query names them: `r.episode = e.episode`. */
  missing: string[];
  /** Where the last equality between the two tables ends: the rest of the key goes after it. */
  end: number;
}

/** A column of one of the query's tables. */
interface ColumnRef {
  read: TableRead;
  column: string;
}

/** `left = right`, and where it ends in the query. */
interface ColumnEquality {
  left: ColumnRef;
  right: ColumnRef;
  end: number;
}

/** Two columns, one of each table, that together with the others of their link name one row. */
type ColumnPair = [string, string];

/**
 * The query with the rest of a composite key joined on, where it joins two tables on part of it:
 * `ratings AS r JOIN episodes AS e ON r.series = e.series` gets `AND r.episode = e.episode`, since
 * a row of episodes is a series *and* an episode, and each rating met every episode of its series
 * (the Bake Off, both models; the 1.5B model's repair, told so, added the rest of the key every
 * time). A link between two tables is a foreign key of several columns from one to the other, or
 * a primary or unique key of several columns whose every column the other table also has by name.
 * Mended when the query's column equalities (any clause, followed through others: `a.x = b.x AND
 * b.x = c.x`) match some of a link's pairs and nothing else between the two tables, and the
 * columns left out are compared with nothing. A join by other columns too (`year, month, day,
 * hour` for a key on `time_hour`) may be the same key said otherwise, and is left alone. Only a
 * single SELECT with each table read once is read.
 */
export function fullKeyJoin(schema: DatabaseSchema, sql: string): string | undefined {
  const join = partialKeyJoin(schema, sql);
  if (!join) return undefined;
  const rest = join.missing.map((pair) => ` AND ${pair}`).join("");
  return `${sql.slice(0, join.end)}${rest}${sql.slice(join.end)}`;
}

function partialKeyJoin(schema: DatabaseSchema, sql: string): PartialKeyJoin | undefined {
  const tokens = oneEquals(nameTokens(sql));
  if (!isSingleSelect(tokens)) return undefined;
  const read = tablesReadIn(schema, sql);
  if (read.length < 2 || new Set(read.map((r) => r.table)).size !== read.length) return undefined;
  const equalities = columnEqualities(tokens, read);
  const compared = comparedColumns(tokens, read);
  const same = sameValue(equalities);
  for (const [at, a] of read.entries()) {
    for (const b of read.slice(at + 1)) {
      const between = equalities.filter(
        ({ left, right }) => (left.read === a && right.read === b) || (left.read === b && right.read === a),
      );
      if (between.length === 0) continue;
      for (const link of links(a.table, b.table)) {
        const matched = link.filter(([x, y]) => same({ read: a, column: x }, { read: b, column: y }));
        const missing = link.filter((pair) => !matched.includes(pair));
        if (matched.length === 0 || missing.length === 0) continue;
        const onLink = between.every(({ left, right }) => {
          const [ac, bc] = left.read === a ? [left.column, right.column] : [right.column, left.column];
          return matched.some(([p, q]) => sameName(p, ac) && sameName(q, bc));
        });
        const leftOut = missing.every(([x, y]) => !compared.has(key(a, x)) && !compared.has(key(b, y)));
        if (!onLink || !leftOut) continue;
        const [an, bn] = [a.names[a.names.length - 1], b.names[b.names.length - 1]];
        return {
          missing: missing.map(([x, y]) => `${ident(an)}.${ident(x)} = ${ident(bn)}.${ident(y)}`),
          end: Math.max(...between.map((equality) => equality.end)),
        };
      }
    }
  }
  return undefined;
}

/** The composite keys between two tables, as pairs of columns (the first of `a`, the second of `b`). */
function links(a: SchemaTable, b: SchemaTable): ColumnPair[][] {
  const referring = (from: SchemaTable, to: SchemaTable) =>
    from.foreignKeys
      .filter((k) => k.columns.length > 1 && sameName(to.name, k.table))
      .map((k) => k.columns.map((c, i): ColumnPair => [c, k.toColumns[i] ?? to.primaryKey[i] ?? c]));
  const byName = (owner: SchemaTable, other: SchemaTable) =>
    uniqueKeysOf(owner)
      .filter((k) => k.length > 1 && k.every((c) => hasColumn(other, c)))
      .map((k) => k.map((c): ColumnPair => [c, c]));
  const flip = (pairs: ColumnPair[]) => pairs.map(([x, y]): ColumnPair => [y, x]);
  return [...referring(a, b), ...referring(b, a).map(flip), ...byName(b, a), ...byName(a, b).map(flip)];
}

function key(read: TableRead, column: string): string {
  return `${read.table.name}\u0000${column.toLowerCase()}`;
}

/** Whether two columns are equal by the query's equalities, followed through one another. */
function sameValue(equalities: ColumnEquality[]): (x: ColumnRef, y: ColumnRef) => boolean {
  const parent = new Map<string, string>();
  const root = (k: string): string => {
    const up = parent.get(k);
    return up === undefined || up === k ? k : root(up);
  };
  for (const { left, right } of equalities)
    parent.set(root(key(left.read, left.column)), root(key(right.read, right.column)));
  return (x, y) => root(key(x.read, x.column)) === root(key(y.read, y.column));
}

/** Every `column = column` of the query between columns of its tables. */
function columnEqualities(tokens: SqlToken[], read: TableRead[]): ColumnEquality[] {
  const found: ColumnEquality[] = [];
  tokens.forEach((token, at) => {
    if (token.text !== "=") return;
    const left = refEndingAt(tokens, at - 1, read);
    const right = refStartingAt(tokens, at + 1, read);
    const last = tokens[at + (columnAt(tokens, at + 2) === undefined ? 1 : 2)];
    if (left && right && left.read !== right.read) found.push({ left, right, end: endOf(last) });
  });
  return found;
}

/** The columns compared with anything, by `=`, `<`, IN, LIKE, BETWEEN, … */
function comparedColumns(tokens: SqlToken[], read: TableRead[]): Set<string> {
  const compared = new Set<string>();
  tokens.forEach((_, at) => {
    const refs = refsAt(tokens, at, read);
    if (refs.length === 0) return;
    const next = tokens[at + (columnAt(tokens, at + 1) === undefined ? 1 : 2)];
    if (!isComparison(next) && !isComparison(tokens[at - 1])) return;
    for (const ref of refs) compared.add(key(ref.read, ref.column));
  });
  return compared;
}

const COMPARISON = /^(?:=|==|!=|<>|<|>|<=|>=|IN|LIKE|GLOB|BETWEEN|IS|NOT)$/i;

function isComparison(token: SqlToken | undefined): boolean {
  return token !== undefined && COMPARISON.test(token.text);
}

/** The column a name written at `at` may be: `T1` `.col`, or a bare name, of each table that has it. */
function refsAt(tokens: SqlToken[], at: number, read: TableRead[]): ColumnRef[] {
  const token = tokens[at];
  if (!token || (token.kind !== "word" && token.kind !== "identifier")) return [];
  const column = columnAt(tokens, at + 1);
  if (column !== undefined) {
    const owner = read.find((r) => r.names.some((name) => sameName(name, token.text)));
    return owner && hasColumn(owner.table, column) ? [{ read: owner, column }] : [];
  }
  const bare = unquoted(token.text);
  return read.filter((r) => hasColumn(r.table, bare)).map((r) => ({ read: r, column: bare }));
}

/** The one column written at `at`, when the name says which. */
function refStartingAt(tokens: SqlToken[], at: number, read: TableRead[]): ColumnRef | undefined {
  const refs = refsAt(tokens, at, read);
  return refs.length === 1 ? refs[0] : undefined;
}

/** The column that ends at `at` (`T1` `.col`, or a bare name). */
function refEndingAt(tokens: SqlToken[], at: number, read: TableRead[]): ColumnRef | undefined {
  return columnAt(tokens, at) !== undefined
    ? refStartingAt(tokens, at - 1, read)
    : refStartingAt(tokens, at, read);
}
