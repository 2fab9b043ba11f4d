import type { SqlToken } from "../guard/index.js";
import type { DatabaseSchema, SchemaTable } from "./introspect.js";
import {
  columnAt,
  columnRefsAt,
  isWord,
  nameTokens,
  oneEquals,
  sameName,
  tablesReadIn,
  type TableRead,
} from "./aliases.js";

/** The table a query lists, those it joins to it, and whether it compares a joined row with `!=`. */
export interface JoinedTables {
  listed: string;
  joined: string[];
  differsOnJoined: boolean;
}

/** A stored no: a flag that says a row lacks something (`promoted = 'N'`). */
const NO_FLAG = /^'(?:n|no|f|false)'$/i;

/**
 * A query that reads two tables or more and excludes no row. Excluding is NOT (IN, EXISTS, LIKE, …;
 * IS NOT NULL is none), EXCEPT, HAVING (`MAX(date) < …` keeps what has none since), IS NULL or
 * ISNULL, a comparison with 0 (`= 0`, `0 = (SELECT COUNT(*) …)`, `< 1`), a stored no (`= 'N'`,
 * FALSE), or `!=` and `<>` on a column of the listed table or of one its foreign keys reach (a
 * track's album's artist: one row each). On a table the listed one is referred to by, `!=` keeps
 * any listed row that has another joined row. Such a query keeps what its joins find.
 */
export function excludesNothing(schema: DatabaseSchema, sql: string): JoinedTables | undefined {
  const read = tablesReadIn(schema, sql);
  if (read.length < 2) return undefined;
  const tokens = oneEquals(nameTokens(sql));
  const oneEach = referencedFrom(read[0], read);
  const differs = differingAt(tokens);
  const onJoined = differs.filter((at) => !comparesOneOf(tokens, at - 1, oneEach, read));
  if (excludes(tokens) || onJoined.length < differs.length) return undefined;
  return {
    listed: read[0].table.name,
    joined: read.slice(1).map((r) => r.table.name),
    differsOnJoined: onJoined.length > 0,
  };
}

function excludes(tokens: SqlToken[]): boolean {
  return tokens.some((token, at) => {
    const next = tokens[at + 1];
    const zero = (t: SqlToken | undefined) => t?.kind === "number" && Number(t.text) === 0;
    if (isWord(token, "NOT")) return !isWord(next, "NULL");
    if (["EXCEPT", "HAVING", "ISNULL", "FALSE"].some((word) => isWord(token, word))) return true;
    if (isWord(token, "IS")) return isWord(next, "NULL");
    if (token.text === "=") return zero(next) || zero(tokens[at - 1]) || NO_FLAG.test(next?.text ?? "");
    return token.text === "<" && next?.kind === "number" && Number(next.text) === 1;
  });
}

/** Where each `!=` and `<>` of the query starts. */
function differingAt(tokens: SqlToken[]): number[] {
  return tokens.flatMap((token, at) => {
    const next = tokens[at + 1]?.text;
    return (token.text === "!" && next === "=") || (token.text === "<" && next === ">") ? [at] : [];
  });
}

/** The listed table and those its foreign keys reach among the query's tables, key after key. */
function referencedFrom(listed: TableRead, read: TableRead[]): Set<SchemaTable> {
  const reached = new Set<SchemaTable>([listed.table]);
  for (let grew = true; grew;) {
    grew = false;
    for (const { table } of read) {
      const referred = [...reached].some((from) =>
        from.foreignKeys.some((k) => sameName(table.name, k.table)),
      );
      if (referred && !reached.has(table)) {
        reached.add(table);
        grew = true;
      }
    }
  }
  return reached;
}

/** Whether the column that ends at `at` is of one of the tables: `T1.Country`, or a bare name only they have. */
function comparesOneOf(tokens: SqlToken[], at: number, tables: Set<SchemaTable>, read: TableRead[]): boolean {
  const start = columnAt(tokens, at) === undefined ? at : at - 1;
  const refs = columnRefsAt(tokens, start, read);
  return refs.length > 0 && refs.every((ref) => tables.has(ref.read.table));
}
