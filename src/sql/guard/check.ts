import type Database from "better-sqlite3";
import { AskDbError } from "../../errors/index.js";
import { meaningfulTokens, splitStatements, type SqlToken } from "./lexer.js";

/** Longer SQL is refused before SQLite sees it (no real question needs 100 KB of SQL). */
export const MAX_SQL_LENGTH = 100_000;

const READ_KEYWORDS = new Set(["SELECT", "WITH", "VALUES"]);
/** Every other statement SQLite knows; anything else at the start is a syntax error. */
const OTHER_STATEMENT_KEYWORDS = new Set(
  "ALTER ANALYZE ATTACH BEGIN COMMIT CREATE DELETE DETACH DROP END EXPLAIN INSERT PRAGMA REINDEX RELEASE REPLACE ROLLBACK SAVEPOINT UPDATE VACUUM".split(
    " ",
  ),
);
/** Functions refused wherever they are called (outside strings and comments). */
const FORBIDDEN_FUNCTIONS = new Set(["LOAD_EXTENSION", "READFILE", "WRITEFILE", "EDIT", "FTS3_TOKENIZER"]);

const WRITE_KEYWORDS = new Set("ALTER ANALYZE CREATE DELETE DROP INSERT REINDEX REPLACE UPDATE".split(" "));

const STATEMENT_EXPLANATIONS: Record<string, string> = {
  ATTACH: "ATTACH opens or creates another database file",
  DETACH: "DETACH changes the connection's databases",
  PRAGMA: "PRAGMA statements can change settings or the file",
  VACUUM: "VACUUM rewrites the database (VACUUM INTO writes a new file)",
};

/**
 * The guard's static checks, defence in depth: exactly one statement, starting with SELECT, WITH
 * or VALUES, no extension loading, and SQLite itself must find it read-only (`stmt.readonly`,
 * which catches `WITH … DELETE`). Returns the prepared statement, ready to run.
 * Throws SQL_REFUSED for anything else and SQL_ERROR (SQLite's message) for invalid SQL.
 */
export function checkSql(db: Database.Database, sql: string): Database.Statement {
  checkSqlText(sql);
  const prepared = prepareChecked(db, sql);
  if (!prepared.readonly) {
    throw refused(
      "this statement would modify the database (SQLite reports it as a write, e.g. WITH … DELETE)",
      sql,
    );
  }
  if (!prepared.reader) throw refused("the statement returns no rows", sql);
  return prepared;
}

/** The checks that need no database: length, one statement, leading keyword, forbidden functions. */
export function checkSqlText(sql: string): SqlToken[] {
  if (sql.length > MAX_SQL_LENGTH) {
    throw refused(`the SQL is too long (${sql.length} characters; the limit is ${MAX_SQL_LENGTH})`, sql);
  }
  const statements = splitStatements(meaningfulTokens(sql));
  if (statements.length === 0) {
    throw new AskDbError("INVALID_INPUT", "no SQL statement given", {
      hint: 'e.g. askdb sql --db FILE "SELECT 1"',
    });
  }
  if (statements.length > 1) {
    throw refused(`only one statement can run at a time; found ${statements.length}`, sql);
  }
  const statement = statements[0];
  const keyword = statement[0].text.toUpperCase();
  if (
    statement[0].kind !== "word" ||
    !(READ_KEYWORDS.has(keyword) || OTHER_STATEMENT_KEYWORDS.has(keyword))
  ) {
    throw new AskDbError("SQL_ERROR", `SQL error: near "${statement[0].text.slice(0, 40)}": syntax error`, {
      hint: "a query starts with SELECT, WITH or VALUES",
      details: { sql: preview(sql) },
    });
  }
  if (!READ_KEYWORDS.has(keyword)) {
    const why =
      STATEMENT_EXPLANATIONS[keyword] ??
      (WRITE_KEYWORDS.has(keyword) ? `${keyword} modifies the database` : `${keyword} is not a query`);
    throw refused(`only read-only queries (SELECT, WITH … SELECT, VALUES) can run: ${why}`, sql);
  }
  const forbidden = statement
    .filter((token, index) => statement[index + 1]?.text === "(")
    .map(nameOf)
    .find((name) => name !== undefined && FORBIDDEN_FUNCTIONS.has(name.toUpperCase()));
  if (forbidden) throw refused(`the function ${forbidden}() is not allowed`, sql);
  return statement;
}

/** The name a word or quoted identifier stands for (`"load_extension"` is still load_extension). */
function nameOf(token: SqlToken): string | undefined {
  if (token.kind === "word") return token.text;
  if (token.kind === "identifier") return token.text.slice(1, -1);
  return undefined;
}

function prepareChecked(db: Database.Database, sql: string): Database.Statement {
  try {
    return db.prepare(sql);
  } catch (error) {
    const message = (error as Error).message;
    if (error instanceof RangeError) throw refused(`only one statement can run at a time (${message})`, sql);
    throw new AskDbError("SQL_ERROR", `SQL error: ${message}`, {
      hint: "fix the SQL and try again; table and column names must exist in this database",
      details: { sql: preview(sql) },
      cause: error,
    });
  }
}

function refused(reason: string, sql: string): AskDbError {
  return new AskDbError("SQL_REFUSED", `refused: ${reason}`, {
    hint: "askdb only runs a single read-only query; your database is never modified",
    details: { sql: preview(sql) },
  });
}

function preview(sql: string): string {
  return sql.length > 500 ? `${sql.slice(0, 500)}…` : sql;
}
