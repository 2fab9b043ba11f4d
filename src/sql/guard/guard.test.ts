import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createSampleDatabase } from "../connect/sample-database.js";
import { openUserDatabase, type UserDatabase } from "../connect/index.js";
import {
  acceptDoubleQuotedLiterals,
  checkSql,
  checkSqlText,
  createQueryExecutor,
  runGuardedQuery,
  splitStatements,
  stringLiterals,
  meaningfulTokens,
  quoteSpelledNames,
  withDateNames,
  type QueryExecutor,
} from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "askdb-guard-"));
const dbPath = join(dir, "shop.sqlite");
let database: UserDatabase;
let executor: QueryExecutor;

beforeAll(() => {
  createSampleDatabase(dbPath);
  database = openUserDatabase(dbPath);
  executor = createQueryExecutor(dbPath, { maxRows: 5 });
});

afterAll(async () => {
  database.close();
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

const limits = { maxRows: 1000, maxResultBytes: 1_000_000 };

describe("the lexer", () => {
  it("reads the values of string literals, doubled quotes undone, blobs and quoted names aside", () => {
    expect(
      stringLiterals(`SELECT "a" FROM t WHERE n = 'O''Brien' AND b = x'00' AND c = 'x' -- 'not'`),
    ).toEqual(["O'Brien", "x"]);
  });

  it("splits statements on semicolons outside strings, identifiers and comments", () => {
    const statements = splitStatements(
      meaningfulTokens(`SELECT ';', "a;b", [c;d] -- ;\n /* ; */ FROM t; SELECT 2;`),
    );
    expect(statements).toHaveLength(2);
    expect(statements[0].map((t) => t.kind)).toEqual([
      "word",
      "string",
      "symbol",
      "identifier",
      "symbol",
      "identifier",
      "word",
      "word",
    ]);
  });

  it("reads doubled quotes as escapes", () => {
    expect(splitStatements(meaningfulTokens("SELECT 'it''s; fine', \"a\"\";\"")).length).toBe(1);
  });
  // A model once wrote "…" in its SQL: the lexer stopped advancing and filled the heap.
  it("reads characters beyond ASCII as parts of names, as SQLite does", () => {
    const tokens = meaningfulTokens("SELECT name… FROM café WHERE x = 1 — 😀 ·");
    expect(tokens.map((t) => t.text)).toEqual([
      "SELECT",
      "name…",
      "FROM",
      "café",
      "WHERE",
      "x",
      "=",
      "1",
      "—",
      "😀",
      "·",
    ]);
    expect(tokens.map((t) => t.kind)).toEqual([
      "word",
      "word",
      "word",
      "word",
      "word",
      "word",
      "symbol",
      "number",
      "word",
      "word",
      "word",
    ]);
  });
});

describe("checkSql", () => {
  it("accepts SELECT, WITH … SELECT and VALUES, with comments around them", () => {
    for (const sql of [
      "SELECT 1",
      "  -- lead\n/* c */ select 1;",
      "WITH x AS (SELECT 1) SELECT * FROM x",
      "VALUES (1), (2)",
    ]) {
      expect(checkSql(database.db, sql).readonly).toBe(true);
    }
  });

  it("refuses writes hidden behind WITH (SQLite's own read-only flag)", () => {
    expect(() => checkSql(database.db, "WITH x AS (SELECT 1) DELETE FROM invoices")).toThrow(
      /would modify the database/,
    );
  });

  it("gives SQLite's message for a syntax error", () => {
    expect(() => checkSql(database.db, "SELECT * FROM nowhere")).toThrow(
      expect.objectContaining({
        code: "SQL_ERROR",
        message: expect.stringContaining("no such table: nowhere"),
      }),
    );
    expect(() => checkSqlText("SELEC 1")).toThrow(expect.objectContaining({ code: "SQL_ERROR" }));
  });

  it("explains each refusal", () => {
    expect(() => checkSqlText("VACUUM INTO '/tmp/x.db'")).toThrow(/VACUUM INTO writes a new file/);
    expect(() => checkSqlText("ATTACH 'x.db' AS x")).toThrow(/ATTACH opens or creates another database file/);
    expect(() => checkSqlText("SELECT 1; SELECT 2")).toThrow(/only one statement.*found 2/);
    expect(() => checkSqlText("SELECT load_extension('x')")).toThrow(/load_extension\(\) is not allowed/);
    expect(() => checkSqlText("  ")).toThrow(expect.objectContaining({ code: "INVALID_INPUT" }));
    expect(() => checkSqlText("SELECT edit, readfile FROM notes")).not.toThrow();
  });
});

describe("runGuardedQuery", () => {
  it("stops at maxRows without changing the query's order", () => {
    const result = runGuardedQuery(database.db, "SELECT id FROM invoices ORDER BY total DESC, id", {
      ...limits,
      maxRows: 3,
    });
    const expected = database.db
      .prepare("SELECT id FROM invoices ORDER BY total DESC, id LIMIT 3")
      .raw()
      .all();
    expect(result.rows).toEqual(expected);
    expect(result).toMatchObject({ rowCount: 3, truncated: true, truncatedBy: "maxRows" });
  });

  it("keeps the query's own LIMIT and reports no truncation when everything fits", () => {
    const result = runGuardedQuery(
      database.db,
      "WITH t AS (SELECT * FROM customers ORDER BY id DESC) SELECT id FROM t LIMIT 2",
      limits,
    );
    expect(result.rows).toEqual([[30], [29]]);
    expect(result.truncated).toBe(false);
  });

  it("cuts a result that grows past maxResultBytes", () => {
    const result = runGuardedQuery(database.db, "SELECT randomblob(100000) FROM invoices", {
      ...limits,
      maxResultBytes: 350_000,
    });
    expect(result).toMatchObject({ rowCount: 3, truncated: true, truncatedBy: "maxResultBytes" });
  });

  it("refuses a single value larger than maxResultBytes", () => {
    expect(() => runGuardedQuery(database.db, "SELECT zeroblob(2000000)", limits)).toThrow(
      /single value of 2\.0 MB/,
    );
  });

  it("describes columns and serialises blobs and big integers for JSON", () => {
    const result = runGuardedQuery(
      database.db,
      "SELECT id, name, price, image, count(*) OVER () AS n, 9007199254740993 AS big FROM products WHERE id = 1",
      limits,
    );
    expect(result.columns).toEqual([
      { name: "id", type: "INTEGER" },
      { name: "name", type: "TEXT" },
      { name: "price", type: "REAL" },
      { name: "image", type: "BLOB" },
      { name: "n", type: "INTEGER" },
      { name: "big", type: "INTEGER" },
    ]);
    expect(result.rows[0]).toEqual([
      1,
      "Product 1",
      12.5,
      { $blob: 3, base64Preview: "AQEB" },
      1,
      "9007199254740993",
    ]);
    expect(JSON.parse(JSON.stringify(result)).rows).toEqual(result.rows);
  });
});

describe("createQueryExecutor", () => {
  it("runs queries off the main thread with the executor's default limits", async () => {
    const result = await executor.execute("SELECT id FROM customers ORDER BY id");
    expect(result).toMatchObject({ rowCount: 5, truncated: true, rows: [[1], [2], [3], [4], [5]] });
    expect(result.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it("takes per-call limits and runs concurrent calls in order", async () => {
    const results = await Promise.all([1, 2, 3].map((n) => executor.execute(`SELECT ${n}`, { maxRows: 1 })));
    expect(results.map((r) => r.rows[0][0])).toEqual([1, 2, 3]);
  });

  it("runs queries in parallel up to its concurrency, and refuses with BUSY past maxQueue", async () => {
    const pool = createQueryExecutor(dbPath, { concurrency: 2, maxQueue: 2, timeoutMs: 60_000 });
    const slow = "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n) SELECT max(x) FROM n";
    try {
      await Promise.all([pool.execute("SELECT 0"), pool.execute("SELECT 0")]);
      await vi.waitFor(() => expect(pool.status().ready).toBe(2), { timeout: 30_000 });
      const controller = new AbortController();
      const runaways = [
        pool.execute(slow, { signal: controller.signal }),
        pool.execute(slow, { signal: controller.signal }),
      ];
      expect(pool.status()).toEqual({ processes: 2, ready: 2, running: 2, queued: 0 });
      const waiting = [pool.execute("SELECT 1"), pool.execute("SELECT 2")];
      await expect(pool.execute("SELECT 3")).rejects.toMatchObject({ code: "BUSY", retryAfterSeconds: 1 });
      controller.abort();
      await Promise.all(
        runaways.map((runaway) => expect(runaway).rejects.toMatchObject({ code: "CANCELLED" })),
      );
      expect((await Promise.all(waiting)).map((result) => result.rows[0][0])).toEqual([1, 2]);
    } finally {
      await pool.close();
    }
  });

  it("reads the file's new contents after it changed under a snapshot", async () => {
    const walPath = join(dir, "wal.sqlite");
    createSampleDatabase(walPath, { wal: true });
    const walExecutor = createQueryExecutor(walPath);
    try {
      expect((await walExecutor.execute("SELECT count(*) FROM customers")).rows).toEqual([[30]]);
      const writer = new Database(walPath);
      writer.exec("INSERT INTO customers (name) VALUES ('Customer 31')");
      writer.close();
      expect((await walExecutor.execute("SELECT count(*) FROM customers")).rows).toEqual([[31]]);
    } finally {
      await walExecutor.close();
    }
  });

  it("passes the guard's errors through unchanged", async () => {
    await expect(executor.execute("UPDATE invoices SET total = 0")).rejects.toMatchObject({
      code: "SQL_REFUSED",
    });
    await expect(executor.execute("SELECT * FROM nope")).rejects.toMatchObject({
      code: "SQL_ERROR",
      message: expect.stringContaining("no such table"),
    });
  });

  it.runIf(process.platform === "linux")("stops a query whose memory grows past maxMemoryBytes", async () => {
    const small = createQueryExecutor(dbPath, { maxMemoryBytes: 250_000_000, timeoutMs: 30_000 });
    try {
      const bomb = small.execute(
        "SELECT length(printf('%.*c', 400000000, 'x') || printf('%.*c', 300000000, 'y'))",
      );
      await expect(bomb).rejects.toMatchObject({
        code: "SQL_REFUSED",
        message: expect.stringContaining("memory"),
      });
      await expect(small.execute("SELECT 7")).resolves.toMatchObject({ rows: [[7]] });
    } finally {
      await small.close();
    }
  });

  it("refuses to start on a missing file", () => {
    expect(() => createQueryExecutor(join(dir, "missing.sqlite"))).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
  });
});

describe("SQLite's dialect as people write it", () => {
  it("reads a double-quoted word that names no column as a string, as SQLite's default build does", () => {
    const sql = acceptDoubleQuotedLiterals(
      database.db,
      `SELECT "name" FROM customers WHERE city = "Pune" AND name <> "O""Neil's"`,
    );
    expect(sql).toBe(`SELECT "name" FROM customers WHERE city = 'Pune' AND name <> 'O"Neil''s'`);
    expect(database.db.prepare(sql).all().length).toBeGreaterThan(0);
  });

  describe("names of days and months asked of strftime", () => {
    const dates = new Database(":memory:");
    dates.exec(`
      CREATE TABLE invoices (id INTEGER PRIMARY KEY, issued TEXT);
      INSERT INTO invoices (issued) VALUES ('2025-12-06 10:00:00'), ('2025-12-07'), ('2025-12-08'), ('2026-02-02');
    `);
    afterAll(() => dates.close());
    const run = (sql: string) => dates.prepare(withDateNames(sql)).raw().all();

    it("gives the names SQLite's strftime lacks, from the numbers it has", () => {
      expect(
        run(`SELECT COUNT(*) FROM invoices WHERE strftime('%A', issued) IN ('Saturday', 'Sunday')`),
      ).toEqual([[2]]);
      expect(run(`SELECT STRFTIME('%a %d %b %Y', issued) FROM invoices WHERE id = 3`)).toEqual([
        ["Mon 08 Dec 2025"],
      ]);
      expect(run(`SELECT strftime('%B', issued, '+1 month') AS month FROM invoices WHERE id = 4`)).toEqual([
        ["March"],
      ]);
      expect(run(`SELECT strftime('%A') IS NOT NULL`)).toEqual([[1]]);
    });

    it("gives a call inside another call's arguments once, and leaves a percent sign and other formats alone", () => {
      expect(
        run(`SELECT upper(strftime('%A', strftime('%Y-%m-%d', issued))) FROM invoices WHERE id = 2`),
      ).toEqual([["SUNDAY"]]);
      expect(run(`SELECT strftime('%%A %m', issued) FROM invoices WHERE id = 1`)).toEqual([["%A 12"]]);
      const plain = `SELECT strftime('%Y-%m', issued), '%A' FROM invoices`;
      expect(withDateNames(plain)).toBe(plain);
    });

    it("leaves a call alone when its format is more than a literal, or its rewrite would outgrow the guard", () => {
      for (const sql of [
        `SELECT strftime('%A' || ' x', issued) FROM invoices`,
        `SELECT strftime('%A' COLLATE NOCASE, issued) FROM invoices`,
        `SELECT strftime('%A', ) FROM invoices`,
        // Each level would hold its arguments twice: 2^30 copies.
        `SELECT ${"strftime('%a %b', ".repeat(30)}issued${")".repeat(30)} FROM invoices`,
        `SELECT ${Array.from({ length: 40 }, () => "strftime('%A', issued)").join(", ")} FROM invoices`,
      ])
        expect(withDateNames(sql)).toBe(sql);
      const nested = `SELECT ${"strftime('%A', ".repeat(3)}issued${")".repeat(3)} FROM invoices WHERE id = 2`;
      expect(run(nested)).toEqual([[null]]); // the weekday's name is no date: as SQLite itself would say
    });
  });

  describe("names that only work quoted, written bare", () => {
    let spaced: Database.Database;
    beforeAll(() => {
      spaced = new Database(":memory:");
      spaced.exec(`
        CREATE TABLE "Airline Directory" ("Carrier Code" TEXT PRIMARY KEY, "Airline Name" TEXT);
        CREATE TABLE "Carrier Stats 2013" ("Carrier Code" TEXT, "Flight Count" INTEGER, "Avg Delay (min)" REAL, "Order (no)" INTEGER, "Count (all)" INTEGER);
        CREATE TABLE trips (trip_id INTEGER, "trip id" INTEGER);
        INSERT INTO "Airline Directory" VALUES ('UA', 'United Air Lines Inc.');
        INSERT INTO "Carrier Stats 2013" VALUES ('UA', 10, 3.5, 1, 10);
      `);
    });
    afterAll(() => spaced.close());
    const quoted = (sql: string) => quoteSpelledNames(spaced, sql);

    it("quotes a name spelled with spaces, underscores or joined, qualified or not", () => {
      expect(quoted(`SELECT Airline Name FROM Airline Directory WHERE Carrier Code = 'UA'`)).toBe(
        `SELECT "Airline Name" FROM "Airline Directory" WHERE "Carrier Code" = 'UA'`,
      );
      expect(quoted(`SELECT SUM(T.Flight_Count) FROM CarrierStats_2013 AS T`)).toBe(
        `SELECT SUM(T."Flight Count") FROM "Carrier Stats 2013" AS T`,
      );
      expect(spaced.prepare(quoted(`SELECT flight count FROM carrier stats 2013`)).all()).toEqual([
        { "Flight Count": 10 },
      ]);
    });

    it("takes a unit in brackets as the name's, or leaves it out, without taking a function's bracket", () => {
      expect(quoted(`SELECT AVG(Avg Delay (min)) FROM "Carrier Stats 2013"`)).toBe(
        `SELECT AVG("Avg Delay (min)") FROM "Carrier Stats 2013"`,
      );
      expect(quoted(`SELECT AVG(Avg_Delay_min), MAX(Avg Delay) FROM "Carrier Stats 2013"`)).toBe(
        `SELECT AVG("Avg Delay (min)"), MAX("Avg Delay (min)") FROM "Carrier Stats 2013"`,
      );
      expect(quoted(`SELECT COUNT(*) FROM "Carrier Stats 2013" ORDER BY Flight Count`)).toBe(
        `SELECT COUNT(*) FROM "Carrier Stats 2013" ORDER BY "Flight Count"`,
      );
    });

    it("leaves a query that prepares, literals, quoted names and names spelled two ways alone", () => {
      const runs = `SELECT "Carrier Code" AS Carrier_Code FROM "Carrier Stats 2013"`;
      expect(quoted(runs)).toBe(runs);
      const literal = `SELECT nope FROM "Airline Directory" WHERE "Airline Name" = 'Airline Name'`;
      expect(quoted(literal)).toBe(literal);
      const ambiguous = `SELECT trip id FROM trips WHERE nope`;
      expect(quoted(ambiguous)).toBe(ambiguous);
    });
  });

  describe("names that are keywords, written bare", () => {
    let keyed: Database.Database;
    beforeAll(() => {
      keyed = new Database(":memory:");
      keyed.exec(`
        CREATE TABLE tags ("index" INTEGER, id INTEGER, tag TEXT);
        CREATE TABLE "Order" (id INTEGER, "from" TEXT, "to" TEXT, "group" TEXT);
        INSERT INTO tags VALUES (0, 7, 'jazz'), (1, 7, 'funk');
        INSERT INTO "Order" VALUES (1, 'EWR', 'SFO', 'a');
      `);
    });
    afterAll(() => keyed.close());
    const quoted = (sql: string) => quoteSpelledNames(keyed, sql);

    it("quotes the words that name something, not the same words as keywords", () => {
      expect(quoted("SELECT index, tag FROM tags ORDER BY index DESC")).toBe(
        `SELECT "index", tag FROM tags ORDER BY "index" DESC`,
      );
      expect(quoted("SELECT t.Index FROM tags AS t WHERE t.tag = 'jazz'")).toBe(
        `SELECT t."index" FROM tags AS t WHERE t.tag = 'jazz'`,
      );
      expect(quoted("SELECT from, to FROM order WHERE id = 1")).toBe(
        `SELECT "from", "to" FROM "Order" WHERE id = 1`,
      );
      expect(
        keyed
          .prepare(quoted(`SELECT group, COUNT(*) FROM "Order" GROUP BY group ORDER BY group`))
          .raw()
          .all(),
      ).toEqual([["a", 1]]);
      expect(quoted(`SELECT COUNT(*) FROM "Order" WHERE from = "EWR"`)).toBe(
        `SELECT COUNT(*) FROM "Order" WHERE "from" = 'EWR'`,
      );
      // Read as a literal, "to" would name nothing: written so, it stays as the model meant it.
      expect(quoted(`SELECT "from" FROM "Order" WHERE "to" = "SFO"`)).toBe(
        `SELECT "from" FROM "Order" WHERE "to" = 'SFO'`,
      );
    });

    it("leaves a query that no quoting makes run as it was", () => {
      const wrong = "SELECT index FROM tags WHERE nope = 1";
      expect(quoted(wrong)).toBe(wrong);
      const tableAsColumn = "SELECT order FROM tags";
      expect(quoted(tableAsColumn)).toBe(tableAsColumn);
    });
  });

  it("keeps double-quoted names that resolve, and leaves other errors to SQLite", () => {
    const named = `SELECT c."city" FROM customers AS "c" WHERE "c"."name" = 'Customer 1'`;
    expect(acceptDoubleQuotedLiterals(database.db, named)).toBe(named);
    const unknownColumn = `SELECT nope FROM customers WHERE city = 'Pune'`;
    expect(acceptDoubleQuotedLiterals(database.db, unknownColumn)).toBe(unknownColumn);
    expect(() => checkSql(database.db, `SELECT nope FROM customers`)).toThrow(/no such column: nope/);
  });

  it("accepts backticks and brackets as identifiers", () => {
    expect(() => checkSql(database.db, "SELECT `name`, [city] FROM `customers`")).not.toThrow();
  });
});
