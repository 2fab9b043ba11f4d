import type Database from "better-sqlite3";
import { tokenizeSql, type SqlToken } from "./lexer.js";

/**
 * SQLite's default build reads a double-quoted word that names no column as a string literal, and
 * people, models and benchmarks write `WHERE name = "Kyle"` relying on it. askdb's SQLite has that
 * misfeature off (SQLITE_DQS=0), so such a query fails with `no such column: "Kyle"`. This applies
 * SQLite's own rule, with SQLite as the judge: while preparing fails because a double-quoted token
 * resolves to no column, that token becomes a single-quoted literal. A double-quoted name that does
 * resolve stays an identifier. Backticks and [brackets] need nothing: SQLite reads them as names.
 */
export function acceptDoubleQuotedLiterals(db: Database.Database, sql: string): string {
  let current = sql;
  for (let tries = 0; tries < MAX_REWRITES; tries += 1) {
    const missing = missingColumn(db, current);
    if (missing === undefined) return current;
    const token = tokenizeSql(current).find((t) => isDoubleQuoted(t) && unquote(t.text) === missing);
    if (!token) return current;
    current =
      current.slice(0, token.start) + toLiteral(token) + current.slice(token.start + token.text.length);
  }
  return current;
}

/** A query seldom holds more string literals than this; the loop prepares once per rewrite. */
const MAX_REWRITES = 16;

/** The word SQLite suggests may be a string literal, if preparing the SQL fails with that hint. */
function missingColumn(db: Database.Database, sql: string): string | undefined {
  if (!sql.includes('"')) return undefined;
  try {
    db.prepare(sql);
    return undefined;
  } catch (error) {
    return /^no such column: "([\s\S]*)" - should this be a string literal/.exec(
      (error as Error).message,
    )?.[1];
  }
}

function isDoubleQuoted(token: SqlToken): boolean {
  return (
    token.kind === "identifier" &&
    token.text.startsWith('"') &&
    token.text.endsWith('"') &&
    token.text.length > 1
  );
}

function unquote(text: string): string {
  return text.slice(1, -1).replaceAll('""', '"');
}

function toLiteral(token: SqlToken): string {
  return `'${unquote(token.text).replaceAll("'", "''")}'`;
}
