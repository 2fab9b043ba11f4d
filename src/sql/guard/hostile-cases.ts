/**
 * Hostile SQL that must never change the user's database or write any file, shared by the guard's
 * tests and the reliability suite (which sends the same list through the HTTP API and the CLI).
 * `expect` lists the acceptable outcomes: an error code, or "rows" when the query may run (it is
 * harmless, or the row/size limits cut it).
 */
export type HostileOutcome = "SQL_REFUSED" | "SQL_ERROR" | "SQL_TIMEOUT" | "INVALID_INPUT" | "rows";

export type HostileCategory =
  | "write"
  | "ddl"
  | "cte-write"
  | "multi-statement"
  | "comment-trick"
  | "transaction"
  | "attach"
  | "pragma"
  | "vacuum"
  | "extension"
  | "runaway"
  | "memory-bomb"
  | "oversized";

export interface HostileSqlCase {
  name: string;
  category: HostileCategory;
  sql: string;
  expect: HostileOutcome[];
}

export interface HostileCaseTargets {
  /** An existing table of the database under test. */
  table: string;
  /** The folder of the database file (ATTACH / VACUUM INTO try to create files there). */
  dir: string;
  /** The temporary folder (os.tmpdir()). */
  tmpDir: string;
}

const REFUSED: HostileOutcome[] = ["SQL_REFUSED"];
const REFUSED_OR_ERROR: HostileOutcome[] = ["SQL_REFUSED", "SQL_ERROR"];
const HARMLESS: HostileOutcome[] = ["rows"];
const STOPPED: HostileOutcome[] = ["SQL_TIMEOUT"];
/** Memory bombs: refused for size, stopped by SQLite's own limits, or timed out. */
const BOMB: HostileOutcome[] = ["SQL_REFUSED", "SQL_ERROR", "SQL_TIMEOUT"];
const SEQUENCE = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n)";

export function hostileSqlCases({ table, dir, tmpDir }: HostileCaseTargets): HostileSqlCase[] {
  const t = `"${table.replaceAll('"', '""')}"`;
  const inDir = (name: string) => `'${dir.replaceAll("'", "''")}/${name}'`;
  const inTmp = (name: string) => `'${tmpDir.replaceAll("'", "''")}/${name}'`;
  const cases: Array<[string, HostileCategory, string, HostileOutcome[]]> = [
    ["insert", "write", `INSERT INTO ${t} DEFAULT VALUES`, REFUSED],
    ["insert select", "write", `INSERT INTO ${t} SELECT * FROM ${t}`, REFUSED],
    ["update", "write", `UPDATE ${t} SET rowid = rowid + 0`, REFUSED],
    ["delete", "write", `DELETE FROM ${t}`, REFUSED],
    ["replace", "write", `REPLACE INTO ${t} SELECT * FROM ${t}`, REFUSED],
    ["insert or replace", "write", `INSERT OR REPLACE INTO ${t} SELECT * FROM ${t}`, REFUSED],
    ["upsert", "write", `INSERT INTO ${t} DEFAULT VALUES ON CONFLICT DO NOTHING`, REFUSED],
    ["delete returning", "write", `DELETE FROM ${t} RETURNING *`, REFUSED],
    ["update returning", "write", `UPDATE ${t} SET rowid = rowid RETURNING *`, REFUSED],
    ["drop table", "ddl", `DROP TABLE ${t}`, REFUSED],
    ["create table", "ddl", "CREATE TABLE evil (x)", REFUSED],
    ["create temp table", "ddl", "CREATE TEMP TABLE evil (x)", REFUSED],
    ["create table as select", "ddl", `CREATE TABLE evil AS SELECT * FROM ${t}`, REFUSED],
    ["alter table", "ddl", `ALTER TABLE ${t} RENAME TO evil`, REFUSED],
    ["create index", "ddl", `CREATE INDEX evil_ix ON ${t} (rowid)`, REFUSED],
    ["drop index", "ddl", "DROP INDEX IF EXISTS evil_ix", REFUSED],
    ["create view", "ddl", "CREATE VIEW evil AS SELECT 1", REFUSED],
    [
      "create trigger",
      "ddl",
      `CREATE TRIGGER evil AFTER INSERT ON ${t} BEGIN DELETE FROM ${t}; END`,
      REFUSED,
    ],
    ["create virtual table", "ddl", "CREATE VIRTUAL TABLE evil USING fts5(x)", REFUSED],
    ["analyze (writes sqlite_stat1)", "ddl", "ANALYZE", REFUSED],
    ["reindex", "ddl", "REINDEX", REFUSED],
    ["with delete", "cte-write", `WITH x AS (SELECT 1) DELETE FROM ${t}`, REFUSED_OR_ERROR],
    ["with insert", "cte-write", `WITH x AS (SELECT 1) INSERT INTO ${t} DEFAULT VALUES`, REFUSED_OR_ERROR],
    ["with update", "cte-write", `WITH x AS (SELECT 1) UPDATE ${t} SET rowid = rowid`, REFUSED_OR_ERROR],
    [
      "recursive with delete",
      "cte-write",
      `WITH RECURSIVE x(n) AS (SELECT 1) DELETE FROM ${t} WHERE rowid IN (SELECT n FROM x)`,
      REFUSED_OR_ERROR,
    ],
    ["select then delete", "multi-statement", `SELECT 1; DELETE FROM ${t}`, REFUSED],
    ["select then drop, no space", "multi-statement", `SELECT 1;DROP TABLE ${t}`, REFUSED],
    ["comment between statements", "multi-statement", `SELECT 1; -- harmless\nDELETE FROM ${t}`, REFUSED],
    ["semicolon inside a string, then delete", "multi-statement", `SELECT 'a;b'; DELETE FROM ${t}`, REFUSED],
    ["null byte then delete", "multi-statement", `SELECT 1\u0000; DELETE FROM ${t}`, REFUSED_OR_ERROR],
    ["three statements", "multi-statement", `SELECT 1; SELECT 2; UPDATE ${t} SET rowid = rowid`, REFUSED],
    ["block comment hides keyword", "comment-trick", `/* SELECT */ DELETE FROM ${t}`, REFUSED],
    ["line comment hides keyword", "comment-trick", `-- SELECT\nDELETE FROM ${t}`, REFUSED],
    ["comment splits keyword", "comment-trick", `DEL/**/ETE FROM ${t}`, REFUSED_OR_ERROR],
    ["delete inside a comment (harmless)", "comment-trick", `SELECT 1 /* ; DELETE FROM ${t} */`, HARMLESS],
    ["delete inside a string (harmless)", "comment-trick", `SELECT ';DELETE FROM ${t}' AS s`, HARMLESS],
    [
      "drop inside a quoted alias (harmless)",
      "comment-trick",
      `SELECT x AS "y; DROP TABLE ${table.replaceAll('"', "")}" FROM (SELECT 1 AS x)`,
      HARMLESS,
    ],
    ["unterminated comment", "comment-trick", `SELECT 1; /* DELETE FROM ${t}`, HARMLESS],
    ["fullwidth SELECT", "comment-trick", `ＳＥＬＥＣＴ 1; DELETE FROM ${t}`, REFUSED_OR_ERROR],
    ["explain delete", "comment-trick", `EXPLAIN DELETE FROM ${t}`, REFUSED],
    ["begin and delete", "transaction", `BEGIN; DELETE FROM ${t}; COMMIT`, REFUSED],
    ["begin immediate", "transaction", "BEGIN IMMEDIATE", REFUSED],
    ["savepoint", "transaction", "SAVEPOINT evil", REFUSED],
    [
      "attach a new file next to the database",
      "attach",
      `ATTACH DATABASE ${inDir("attached.db")} AS evil`,
      REFUSED,
    ],
    ["attach a new file in the temp folder", "attach", `ATTACH ${inTmp("attached.db")} AS evil`, REFUSED],
    ["attach memory", "attach", "ATTACH ':memory:' AS evil", REFUSED],
    ["detach main", "attach", "DETACH DATABASE main", REFUSED],
    ["pragma writable_schema", "pragma", "PRAGMA writable_schema = ON", REFUSED],
    ["pragma journal_mode", "pragma", "PRAGMA journal_mode = DELETE", REFUSED],
    ["pragma user_version", "pragma", "PRAGMA user_version = 42", REFUSED],
    ["pragma query_only off", "pragma", "PRAGMA query_only = OFF", REFUSED],
    ["pragma then delete", "pragma", `PRAGMA foreign_keys = OFF; DELETE FROM ${t}`, REFUSED],
    [
      "pragma table-valued function (harmless read)",
      "pragma",
      `SELECT name FROM pragma_table_info('${table.replaceAll("'", "''")}')`,
      HARMLESS,
    ],
    ["vacuum", "vacuum", "VACUUM", REFUSED],
    ["vacuum into the database folder", "vacuum", `VACUUM INTO ${inDir("copy.db")}`, REFUSED],
    ["vacuum main into the temp folder", "vacuum", `VACUUM main INTO ${inTmp("copy.db")}`, REFUSED],
    ["load_extension", "extension", "SELECT load_extension('/tmp/evil.so')", REFUSED],
    [
      "load_extension upper case with entry point",
      "extension",
      "SELECT LOAD_EXTENSION('libc.so.6', 'system')",
      REFUSED,
    ],
    [
      "load_extension as a quoted identifier",
      "extension",
      `SELECT "load_extension"('/tmp/evil.so')`,
      REFUSED_OR_ERROR,
    ],
    ["fts3_tokenizer", "extension", "SELECT fts3_tokenizer('simple')", REFUSED],
    ["writefile", "extension", `SELECT writefile(${inDir("written.txt")}, 'data')`, REFUSED],
    ["never-ending recursive CTE (aggregate)", "runaway", `${SEQUENCE} SELECT count(*) FROM n`, STOPPED],
    ["never-ending recursive CTE (rows)", "runaway", `${SEQUENCE} SELECT x FROM n`, HARMLESS],
    [
      "huge cross join (aggregate)",
      "runaway",
      `${SEQUENCE.replace("FROM n)", "FROM n LIMIT 1000000)")} SELECT count(*) FROM n a, n b, n c`,
      STOPPED,
    ],
    ["huge cross join (rows)", "runaway", `SELECT * FROM ${t} a, ${t} b, ${t} c, ${t} d`, HARMLESS],
    ["randomblob bomb", "memory-bomb", "SELECT randomblob(400000000)", BOMB],
    ["zeroblob bomb", "memory-bomb", "SELECT zeroblob(400000000)", BOMB],
    ["printf bomb", "memory-bomb", "SELECT printf('%.*c', 400000000, 'x')", BOMB],
    ["replace/hex bomb", "memory-bomb", "SELECT replace(hex(zeroblob(100000000)), '0', 'xx')", BOMB],
    [
      "many medium blobs",
      "memory-bomb",
      `${SEQUENCE} SELECT randomblob(1000000) FROM n`,
      [...HARMLESS, ...BOMB],
    ],
    [
      "group_concat bomb",
      "memory-bomb",
      `${SEQUENCE} SELECT group_concat(printf('%.*c', 1000000, 'x')) FROM n`,
      BOMB,
    ],
    ["very long SQL", "oversized", `SELECT ${"1 + ".repeat(60_000)}1`, REFUSED],
    [
      "deeply nested parentheses",
      "oversized",
      `SELECT ${"(".repeat(20_000)}1${")".repeat(20_000)}`,
      REFUSED_OR_ERROR,
    ],
    [
      "huge compound select",
      "oversized",
      Array.from({ length: 1000 }, (_, i) => `SELECT ${i}`).join(" UNION ALL "),
      REFUSED_OR_ERROR,
    ],
    ["empty", "oversized", "", ["INVALID_INPUT"]],
    ["only comments and semicolons", "oversized", "-- nothing\n;;/* here */;", ["INVALID_INPUT"]],
  ];
  return cases.map(([name, category, sql, expect]) => ({ name, category, sql, expect }));
}
