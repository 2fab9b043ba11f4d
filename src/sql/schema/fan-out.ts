import { endOf, type SqlToken } from "../guard/index.js";
import type { DatabaseSchema } from "./introspect.js";
import {
  columnAt,
  depthsOf,
  hasColumn,
  isSingleSelect,
  isWord,
  nameTokens,
  oneEquals,
  sameName,
  tablesReadIn,
  uniqueKeysOf,
  type TableRead,
} from "./aliases.js";

/** Sums and averages count a row as often as it comes; MIN and MAX do not, and COUNT may mean the joined rows. */
const REPEAT_SENSITIVE = new Set(["SUM", "AVG", "TOTAL"]);

/** Words that end a join's ON clause, as does a comma that lists another table. */
const CLAUSE_END = new Set(
  "JOIN INNER LEFT RIGHT FULL CROSS WHERE GROUP HAVING ORDER LIMIT WINDOW UNION EXCEPT INTERSECT".split(" "),
);

/** Words that may stand before JOIN, and go with it. */
const JOIN_KIND = new Set(["INNER", "LEFT", "RIGHT", "FULL", "OUTER", "CROSS"]);

/**
 * The query without a join that only repeats the rows a sum or average reads: `SELECT SUM(T1.Total)
 * FROM Invoice AS T1 JOIN InvoiceLine AS T2 ON T1.InvoiceId = T2.InvoiceId` adds each invoice's
 * total once per line, and means `SELECT SUM(T1.Total) FROM Invoice AS T1`. Such a join is one to
 * a table whose foreign key refers to another of the query's tables, when nothing but that key in
 * the join's ON clause uses the joined table; its join words go with it (`INNER JOIN …`). Not when
 * the key is unique in the joined table (one row each), nor when the query counts rows (`SUM(1)`,
 * `SUM(CASE … THEN 1 …)`, COUNT beside the sum): counting the joined rows may be what was asked.
 * Only a single SELECT whose joins are all read for sure is looked at (no USING, NATURAL, DISTINCT,
 * or a table read twice), and only the joined tables: the table after FROM is not. An inner join
 * also drops the rows with nothing joined (an invoice without lines); a sum over such a join is
 * read as a sum over all of them.
 */
export function withoutFanOutJoin(schema: DatabaseSchema, sql: string): string | undefined {
  const join = fanOutJoin(schema, sql);
  if (!join) return undefined;
  const after = sql.slice(join.end).trimStart();
  return `${sql.slice(0, join.start)}${after.startsWith(",") ? "" : " "}${after}`.trim();
}

/**
 * Where the join that only repeats rows stands in `sql`: from the end of what comes before its join
 * words (a comment between goes with it) to what follows its ON clause.
 */
function fanOutJoin(schema: DatabaseSchema, sql: string): { start: number; end: number } | undefined {
  const tokens = oneEquals(nameTokens(sql));
  const fromAt = tokens.findIndex((token) => isWord(token, "FROM"));
  if (!isSingleSelect(tokens) || fromAt < 0) return undefined;
  if (tokens.some((t) => ["USING", "NATURAL", "DISTINCT", "COUNT"].some((word) => isWord(t, word))))
    return undefined;
  if (!sumsValues(tokens.slice(1, fromAt))) return undefined;
  const read = tablesReadIn(schema, sql);
  if (new Set(read.map((r) => r.table)).size !== read.length) return undefined;
  const depths = depthsOf(tokens);
  for (const joined of read.slice(1)) {
    const on = onClause(tokens, depths, joined);
    if (!on) continue;
    const outside = [...tokens.slice(0, on.joinAt), ...tokens.slice(on.end)];
    if (uses(outside, joined, read)) continue;
    const condition = tokens.slice(on.start, on.end);
    const key = repeatingKey(condition, joined, read);
    if (!key || filtersBeyond(condition, joined, key)) continue;
    let first = on.joinAt;
    while (JOIN_KIND.has(tokens[first - 1].text.toUpperCase())) first -= 1;
    return { start: endOf(tokens[first - 1]), end: tokens[on.end]?.start ?? endOf(tokens[on.end - 1]) };
  }
  return undefined;
}

/**
 * A SUM, AVG or TOTAL of values: `SUM(1)` and `SUM(CASE WHEN … THEN 1 ELSE 0 END)` count rows, and
 * counting the joined rows may be what was asked.
 */
function sumsValues(list: SqlToken[]): boolean {
  const depths = depthsOf(list);
  return list.some((token, at) => {
    if (!REPEAT_SENSITIVE.has(token.text.toUpperCase()) || list[at + 1]?.text !== "(") return false;
    const close = list.findIndex((t, i) => i > at + 1 && t.text === ")" && depths[i] === depths[at + 1]);
    const argument = list.slice(at + 2, close < 0 ? list.length : close);
    return !argument.some((t) => isWord(t, "CASE")) && !argument.every((t) => t.kind === "number");
  });
}

/** Where `JOIN <table>` stands, and the tokens of its ON clause. */
function onClause(
  tokens: SqlToken[],
  depths: number[],
  read: TableRead,
): { joinAt: number; start: number; end: number } | undefined {
  const joinAt = tokens.findIndex(
    (token, at) =>
      isWord(tokens[at - 1], "JOIN") && sameName(read.table.name, token.text) && depths[at] === 0,
  );
  if (joinAt < 0) return undefined;
  const onAt = tokens.findIndex((token, at) => at > joinAt && isWord(token, "ON"));
  if (onAt < 0 || tokens.slice(joinAt + 1, onAt).some((token) => CLAUSE_END.has(token.text.toUpperCase())))
    return undefined;
  const end = tokens.findIndex(
    (token, at) =>
      at > onAt &&
      depths[at] === 0 &&
      (token.text === "," || (token.kind === "word" && CLAUSE_END.has(token.text.toUpperCase()))),
  );
  return { joinAt: joinAt - 1, start: onAt + 1, end: end < 0 ? tokens.length : end };
}

/** A column of the table: qualified by one of its names, `*` in the select list, or written bare and no other table's. */
function uses(tokens: SqlToken[], table: TableRead, read: TableRead[]): boolean {
  const others = read.filter((other) => other !== table);
  return tokens.some((token, at) => {
    if (token.text === "*" && (isWord(tokens[at - 1], "SELECT") || tokens[at - 1]?.text === ",")) return true;
    const qualified = tokens[at + 1]?.kind === "symbol" && tokens[at + 1].text.startsWith(".");
    if (qualified) return table.names.some((name) => sameName(name, token.text));
    if (token.kind !== "word" && token.kind !== "identifier") return false;
    if (tokens[at + 1]?.text === "(") return false;
    return hasColumn(table.table, token.text) && !others.some((other) => hasColumn(other.table, token.text));
  });
}

/**
 * The columns of the joined table's foreign key that the ON clause joins by to another of the
 * query's tables, when the key repeats: one that is also unique in the joined table (one row each)
 * does not.
 */
function repeatingKey(on: SqlToken[], joined: TableRead, read: TableRead[]): string[] | undefined {
  const named = (at: number, names: string[]) =>
    on[at]?.kind !== "symbol" && names.some((name) => sameName(name, on[at].text));
  const onColumns = on.flatMap((_, at) => columnAt(on, at) ?? []);
  const unique = uniqueKeysOf(joined.table);
  for (const key of joined.table.foreignKeys) {
    const referred = read.find((other) => other !== joined && sameName(other.table.name, key.table));
    if (!referred) continue;
    const covers = (columns: string[]) =>
      columns.every((column) => key.columns.some((c) => sameName(c, column)));
    if (unique.some(covers)) continue;
    const byKey = key.columns.every((column) => onColumns.some((c) => sameName(c, column)));
    const namesBoth =
      on.some((_, at) => named(at, joined.names)) && on.some((_, at) => named(at, referred.names));
    if (byKey && namesBoth) return key.columns;
  }
  return undefined;
}

/** A condition of the ON clause on another column of the joined table: `AND l.TrackId = 5` filters by it. */
function filtersBeyond(on: SqlToken[], joined: TableRead, keyColumns: string[]): boolean {
  return on.some((token, at) => {
    const column = columnAt(on, at + 1);
    if (column === undefined || !joined.names.some((name) => sameName(name, token.text))) return false;
    return !keyColumns.some((key) => sameName(key, column));
  });
}
