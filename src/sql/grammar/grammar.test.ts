import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_EVAL_FILE, DEMO_TRAINING_DIR, ensureDemoDatabase } from "../../demo/index.js";
import { createEngine, type ManagedEngine } from "../../engine/index.js";
import { missingModelsReason, TINY_RANDOM_MODEL } from "../../engine/testing/index.js";
import { openUserDatabase, type UserDatabase } from "../connect/index.js";
import { checkSql } from "../guard/index.js";
import { readTrainingDirectory } from "../knowledge/index.js";
import { introspectSchema, type DatabaseSchema } from "../schema/index.js";
import { createGrammarMatcher, type GrammarMatcher } from "./grammar-matcher.js";
import { buildSqlGrammar, sqlGrammarFor, sqlIdentifier } from "./index.js";

/** Table names after FROM and JOIN (bare or double-quoted), and the names the query defines as CTEs. */
function sourcesNamed(sql: string): { read: string[]; ctes: Set<string> } {
  const text = sql.replace(/'(?:[^']|'')*'/g, "''");
  const unquote = (name: string): string =>
    name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
  const read = [...text.matchAll(/\b(?:FROM|JOIN)\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)/g)].map((m) =>
    unquote(m[1]),
  );
  const ctes = new Set(
    [...text.matchAll(/(?:\bWITH|,)\s+([a-z_][a-z0-9_]*)(?:\([^)]*\))? AS \(/g)].map((m) => m[1]),
  );
  return { read, ctes };
}

function demoSqls(): string[] {
  const trained = readTrainingDirectory(DEMO_TRAINING_DIR).pairs.map((p) => p.sql);
  const heldOut = (JSON.parse(readFileSync(DEMO_EVAL_FILE, "utf8")) as { sql: string }[]).map((q) => q.sql);
  return [...trained, ...heldOut];
}

/** One example per construct the grammar promises, all valid on the demo database. */
const CONSTRUCTS = [
  "SELECT * FROM customers",
  "SELECT c.* FROM customers AS c LIMIT 5 OFFSET 10",
  "SELECT DISTINCT city FROM customers ORDER BY city DESC NULLS LAST",
  "SELECT name FROM customers WHERE credit_limit IS NOT NULL AND gstin IS NULL OR city LIKE 'Pu%'",
  "SELECT name FROM customers WHERE NOT city IN ('Pune', 'Mumbai') AND credit_limit NOT BETWEEN 0 AND 1000",
  "SELECT name FROM customers WHERE id IN (SELECT customer_id FROM invoices WHERE total_amount > 1000)",
  "SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.customer_id = c.id)",
  "SELECT name, (SELECT COUNT(*) FROM invoices i WHERE i.customer_id = c.id) AS n FROM customers c",
  "SELECT c.name FROM customers c CROSS JOIN categories LIMIT 1",
  "SELECT i.id FROM invoices i INNER JOIN customers c USING (id) LEFT OUTER JOIN users u ON u.id = i.created_by",
  "SELECT p.name FROM products p, categories c WHERE c.id = p.category_id",
  "SELECT city FROM customers UNION SELECT city FROM suppliers EXCEPT SELECT 'Pune' ORDER BY 1",
  "SELECT city FROM customers INTERSECT SELECT city FROM suppliers UNION ALL SELECT state FROM suppliers",
  "SELECT CAST(total_amount AS INTEGER) % 7, total_amount * 2 - 1 / 3 + -amount_paid FROM invoices",
  "SELECT CASE status WHEN 'paid' THEN 1 ELSE 0 END, IIF(total_amount > 100, 'big', 'small') FROM invoices",
  "SELECT ROUND(AVG(total_amount)), TOTAL(amount_paid), GROUP_CONCAT(DISTINCT status), COUNT(DISTINCT customer_id) FROM invoices",
  "SELECT ABS(-1), COALESCE(NULL, 2, 3), IFNULL(NULL, 1), NULLIF(1, 1), SUBSTR(name, 1, 3), LOWER(name), UPPER(name) FROM customers",
  "SELECT TRIM(name), LENGTH(name), REPLACE(name, 'a', 'b'), INSTR(name, 'a'), PRINTF('%05.1f', credit_limit) FROM customers",
  "SELECT date('now'), time('now'), datetime(created_at, '+1 day', 'start of month'), julianday(created_at), unixepoch(created_at), strftime('%Y', created_at) FROM customers",
  "SELECT name || ' (' || city || ')' FROM customers WHERE name <> 'x' AND name != 'y' AND id >= 1 AND id <= 99 AND id == id",
  "SELECT customer_id, SUM(total_amount) AS total FROM invoices GROUP BY customer_id HAVING total > 1000 ORDER BY total DESC, customer_id ASC NULLS FIRST",
  "SELECT ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY invoice_date), LAG(total_amount, 1, 0) OVER (ORDER BY id), NTILE(4) OVER (ORDER BY total_amount) FROM invoices",
  "SELECT SUM(total_amount) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), FIRST_VALUE(id) OVER () FROM invoices",
  "WITH a AS (SELECT id FROM customers), b(x) AS (SELECT id FROM a) SELECT x FROM b JOIN a ON a.id = b.x",
  "SELECT t.city, t.n FROM (SELECT city, COUNT(*) AS n FROM customers GROUP BY city) t WHERE t.n > 1",
  "SELECT name FROM customers WHERE name = 'O''Brien' AND credit_limit > 1.5",
  "SELECT name FROM customers NATURAL JOIN users WHERE name = 'x' COLLATE NOCASE AND TRUE ORDER BY name COLLATE NOCASE DESC",
  "SELECT CAST(credit_limit AS FLOAT) FROM customers",
];

/** Text the grammar must refuse: prose, writes, several statements, invented tables, unsafe names. */
const REFUSED = [
  "Here is the SQL: SELECT * FROM customers",
  "DELETE FROM customers",
  "SELECT * FROM customers; DROP TABLE customers",
  "SELECT * FROM customers;;",
  "SELECT * FROM clients",
  "SELECT * FROM sqlite_master",
  "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT n FROM r",
  'SELECT name AS "Customer Name" FROM customers',
  "SELECT name FROM customers -- comment",
  "select name from customers",
  "SELECT name FROM customers WHERE id IN (SELECT id FROM customers WHERE id IN (SELECT id FROM customers WHERE id IN (SELECT id FROM customers WHERE id IN (SELECT 1))))",
];

describe("sqlIdentifier", () => {
  it("quotes keywords and odd names only", () => {
    expect(sqlIdentifier("products")).toBe("products");
    expect(sqlIdentifier("order")).toBe('"order"');
    expect(sqlIdentifier("unit price")).toBe('"unit price"');
    expect(sqlIdentifier('a"b')).toBe('"a""b"');
  });
});

describe("the SQL grammar of a database", () => {
  let dir: string;
  let user: UserDatabase;
  let schema: DatabaseSchema;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "askdb-grammar-"));
    user = openUserDatabase(ensureDemoDatabase(dir));
    schema = introspectSchema(user.db);
  });
  afterAll(() => {
    user.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("names every real table, lists real names outside the safe pattern, and is cached", () => {
    const grammar = sqlGrammarFor(schema);
    for (const table of schema.tables) expect(grammar).toContain(JSON.stringify(sqlIdentifier(table.name)));
    expect(sqlGrammarFor(schema)).toBe(grammar);
    expect(sqlGrammarFor(schema, { maxJoins: 0 })).not.toBe(grammar);
    expect(sqlGrammarFor(schema, { shape: "scoped", maxJoins: 0 }).length).toBeLessThan(
      sqlGrammarFor(schema, { shape: "scoped" }).length,
    );

    const odd = new Database(":memory:");
    odd.exec(`CREATE TABLE "Order Lines" ("LineId" INTEGER, "unit price" REAL, qty INTEGER)`);
    const oddGrammar = buildSqlGrammar(introspectSchema(odd));
    odd.close();
    for (const name of ['"Order Lines"', "LineId", '"unit price"'])
      expect(oddGrammar).toContain(JSON.stringify(name));
  });

  const skip = missingModelsReason();
  describe.skipIf(skip !== undefined)(`under llama.cpp's grammar engine ${skip ?? ""}`, () => {
    let matcher: GrammarMatcher;
    let accepts: (sql: string) => boolean;
    beforeAll(async () => {
      matcher = await createGrammarMatcher(TINY_RANDOM_MODEL);
      ({ accepts } = await matcher.compile(sqlGrammarFor(schema)));
    });
    afterAll(async () => matcher.close());

    it("accepts the demo's training and held-out SQL", () => {
      const sqls = demoSqls();
      const refused = sqls.filter((sql) => !accepts(sql));
      expect(sqls.length).toBeGreaterThan(100);
      expect(refused).toEqual([]);
    });

    it.each([...CONSTRUCTS, "SELECT name FROM customers;"])("accepts %s", (sql) => {
      expect(() => checkSql(user.db, sql)).not.toThrow();
      expect(accepts(sql)).toBe(true);
    });

    it.each(REFUSED)("refuses %s", (sql) => {
      expect(accepts(sql)).toBe(false);
    });

    it("accepts real names outside the safe pattern, quoted as SQLite needs", async () => {
      const odd = new Database(":memory:");
      odd.exec(`CREATE TABLE "Order Lines" ("LineId" INTEGER, "unit price" REAL, qty INTEGER)`);
      const grammar = await matcher.compile(buildSqlGrammar(introspectSchema(odd)));
      const sql = `SELECT o.LineId, "unit price" * qty AS total FROM "Order Lines" o ORDER BY total DESC`;
      expect(() => odd.prepare(sql)).not.toThrow();
      odd.close();
      expect(grammar.accepts(sql)).toBe(true);
      expect(grammar.accepts(`SELECT LineId FROM Order_Lines`)).toBe(false);
    });

    it("refuses joins beyond maxJoins and accepts single tables", async () => {
      const single = await matcher.compile(buildSqlGrammar(schema, { maxJoins: 0 }));
      expect(single.accepts("SELECT name FROM customers")).toBe(true);
      expect(single.accepts("SELECT c.name FROM customers c JOIN invoices i ON i.customer_id = c.id")).toBe(
        false,
      );
    });
  });

  /** Generations of the random-weight model under `grammar`, one per seed. */
  async function randomGenerations(grammar: string, seeds: number): Promise<string[]> {
    const engine: ManagedEngine = createEngine({
      modelFile: TINY_RANDOM_MODEL,
      config: { threads: 1, contextSize: 2048 },
    });
    const texts: string[] = [];
    try {
      for (let seed = 1; seed <= seeds; seed += 1) {
        const result = await engine.complete("Question: how much did each customer buy?\nSQL: ", {
          grammar,
          temperature: 0.9,
          seed,
          maxTokens: 1200,
        });
        expect(result.stopReason, result.text).not.toBe("maxTokens");
        texts.push(result.text);
      }
    } finally {
      await engine.close();
    }
    return texts;
  }

  it.skipIf(skip !== undefined)(
    `makes a random-weight model write finite SQL that parses and reads only real tables, or inside WITH a CTE-shaped name ${skip ?? ""}`,
    async () => {
      const real = new Set(schema.tables.map((t) => t.name));
      for (const sql of await randomGenerations(sqlGrammarFor(schema), 5)) {
        expect(prepareProblem(user, sql) ?? "", sql).not.toMatch(
          /syntax error|incomplete input|unrecognized token/,
        );
        // A CFG cannot tie a FROM inside WITH to a CTE declared before it, only to the CTE-name shape.
        const { read, ctes } = sourcesNamed(sql);
        const cteShaped = (table: string) => sql.startsWith("WITH ") && /^[a-z_][a-z0-9_]{0,23}$/.test(table);
        for (const table of read) {
          expect(real.has(table) || ctes.has(table) || cteShaped(table), `${table} in ${sql}`).toBe(true);
        }
      }
    },
    240_000,
  );

  it.skipIf(skip !== undefined)(
    `in the scoped shape, makes a random-weight model write SQL that prepares on real tables ${skip ?? ""}`,
    async () => {
      const real = new Set(schema.tables.map((t) => t.name));
      for (const sql of await randomGenerations(sqlGrammarFor(schema, { shape: "scoped" }), 5)) {
        expect(() => checkSql(user.db, sql), sql).not.toThrow();
        const { read } = sourcesNamed(sql);
        expect(read.length, sql).toBeGreaterThan(0);
        for (const table of read) expect(real.has(table), `${table} in ${sql}`).toBe(true);
      }
    },
    240_000,
  );
});

function prepareProblem(user: UserDatabase, sql: string): string | undefined {
  try {
    user.db.prepare(sql);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
