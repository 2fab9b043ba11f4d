import { endOf, type SqlToken } from "../guard/index.js";
import type { DatabaseSchema, SchemaTable } from "./introspect.js";
import {
  columnAt,
  columnRefsAt,
  isSingleSelect,
  isWord,
  nameTokens,
  oneEquals,
  sameName,
  tablesReadIn,
  type ColumnRef,
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

/** `left = right`, a condition of its own, and where it ends in the query. */
interface ColumnEquality {
  left: ColumnRef;
  right: ColumnRef;
  end: number;
}

/** Two columns, one of each table, that together with the others of their foreign key name one row. */
type ColumnPair = [string, string];

/**
 * The query with the rest of a composite key joined on, where it joins two tables on part of it:
 * `ratings AS r JOIN episodes AS e ON r.series = e.series` gets `AND r.episode = e.episode`, since
 * a row of episodes is a series *and* an episode, and each rating met every episode of its series
 * (the Bake Off, both models; the 1.5B model's repair, told so, added the rest of the key every
 * time). Only along a declared foreign key of several columns (columns that share a name need not
 * mean one thing: a student's ID and a teacher's). Mended when the query's equalities of one column
 * with another, each a condition of its own (`ON a.x = b.x AND …`, not `a.x = b.x + 1` or inside a
 * CASE), followed through others (`a.x = b.x AND b.x = c.x`), match some of the key's pairs and
 * nothing else between the two tables, and the query names the key's other columns nowhere: one
 * it shows, groups or compares may be joined apart on purpose ("the episodes of the series Rahul
 * won in"). Not an outer join, whose unmatched rows may be the question; only a single SELECT
 * with each table read once.
 */
export function fullKeyJoin(schema: DatabaseSchema, sql: string): string | undefined {
  const join = partialKeyJoin(schema, sql);
  if (!join) return undefined;
  const rest = join.missing.map((pair) => ` AND ${pair}`).join("");
  return `${sql.slice(0, join.end)}${rest}${sql.slice(join.end)}`;
}

const OUTER = new Set(["LEFT", "RIGHT", "FULL", "OUTER"]);

function partialKeyJoin(schema: DatabaseSchema, sql: string): PartialKeyJoin | undefined {
  const tokens = oneEquals(nameTokens(sql));
  if (!isSingleSelect(tokens) || tokens.some((t) => t.kind === "word" && OUTER.has(t.text.toUpperCase())))
    return undefined;
  const read = tablesReadIn(schema, sql);
  if (read.length < 2 || new Set(read.map((r) => r.table)).size !== read.length) return undefined;
  const equalities = columnEqualities(tokens, read);
  const named = namedColumns(tokens, read);
  const same = sameValue(equalities);
  for (const [at, a] of read.entries()) {
    for (const b of read.slice(at + 1)) {
      const between = equalities.filter(
        ({ left, right }) => (left.read === a && right.read === b) || (left.read === b && right.read === a),
      );
      if (between.length === 0) continue;
      for (const link of foreignKeysBetween(a.table, b.table)) {
        const matched = link.filter(([x, y]) => same({ read: a, column: x }, { read: b, column: y }));
        const missing = link.filter((pair) => !matched.includes(pair));
        if (matched.length === 0 || missing.length === 0) continue;
        const onLink = between.every(({ left, right }) => {
          const [ac, bc] = left.read === a ? [left.column, right.column] : [right.column, left.column];
          return matched.some(([p, q]) => sameName(p, ac) && sameName(q, bc));
        });
        const unnamed = missing.every(([x, y]) => !named.has(key(a, x)) && !named.has(key(b, y)));
        if (!onLink || !unnamed) continue;
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

/** The foreign keys of several columns between two tables, as pairs (the first of `a`, the second of `b`). */
function foreignKeysBetween(a: SchemaTable, b: SchemaTable): ColumnPair[][] {
  const referring = (from: SchemaTable, to: SchemaTable) =>
    from.foreignKeys
      .filter((k) => k.columns.length > 1 && sameName(to.name, k.table))
      .map((k) => k.columns.map((c, i): ColumnPair => [c, k.toColumns[i] ?? to.primaryKey[i] ?? c]));
  const flip = (pairs: ColumnPair[]) => pairs.map(([x, y]): ColumnPair => [y, x]);
  return [...referring(a, b), ...referring(b, a).map(flip)];
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

/** What may stand before a condition of its own, and after it. */
const OPENS_CONDITION = new Set(["ON", "WHERE", "AND", "("]);
const CLOSES_CONDITION = new Set(
  "AND ) , JOIN INNER CROSS WHERE GROUP HAVING ORDER LIMIT WINDOW UNION EXCEPT INTERSECT".split(" "),
);

/** Every `column = column` of the query between columns of two of its tables, as a condition of its own. */
function columnEqualities(tokens: SqlToken[], read: TableRead[]): ColumnEquality[] {
  const found: ColumnEquality[] = [];
  tokens.forEach((token, at) => {
    if (token.text !== "=") return;
    const leftAt = columnAt(tokens, at - 1) === undefined ? at - 1 : at - 2;
    const rightEnd = columnAt(tokens, at + 2) === undefined ? at + 1 : at + 2;
    const opens = tokens[leftAt - 1]?.text.toUpperCase() ?? "";
    const closes = tokens[rightEnd + 1]?.text.toUpperCase();
    if (!OPENS_CONDITION.has(opens) || (closes !== undefined && !CLOSES_CONDITION.has(closes))) return;
    const [left] = oneRef(tokens, leftAt, read);
    const [right] = oneRef(tokens, at + 1, read);
    if (left && right && left.read !== right.read) found.push({ left, right, end: endOf(tokens[rightEnd]) });
  });
  return found;
}

function oneRef(tokens: SqlToken[], at: number, read: TableRead[]): ColumnRef[] {
  const refs = columnRefsAt(tokens, at, read);
  return refs.length === 1 ? refs : [];
}

/** Every column the query names, of each table that may be meant. */
function namedColumns(tokens: SqlToken[], read: TableRead[]): Set<string> {
  const named = new Set<string>();
  tokens.forEach((token, at) => {
    if (isWord(tokens[at - 1], "AS")) return;
    for (const ref of columnRefsAt(tokens, at, read)) named.add(key(ref.read, ref.column));
  });
  return named;
}
