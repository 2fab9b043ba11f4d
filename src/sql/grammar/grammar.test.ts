import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoDatabase } from "../../demo/index.js";
import { createEngine, type ManagedEngine } from "../../engine/index.js";
import { missingModelsReason, TINY_RANDOM_MODEL } from "../../engine/testing/index.js";
import { openUserDatabase, type UserDatabase } from "../connect/index.js";
import { checkSql } from "../guard/index.js";
import { introspectSchema, type DatabaseSchema } from "../schema/index.js";
import { buildSqlGrammar, sqlGrammarFor, sqlIdentifier } from "./index.js";

/** Table names after FROM and JOIN, bare or double-quoted. */
function tablesNamed(sql: string): string[] {
  const withoutStrings = sql.replace(/'[^']*'/g, "''");
  return [...withoutStrings.matchAll(/\b(?:FROM|JOIN)\s+("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)/g)].map(
    (m) => (m[1].startsWith('"') ? m[1].slice(1, -1).replaceAll('""', '"') : m[1]),
  );
}

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

  it("names every real table and column, and is cached per fingerprint", () => {
    const grammar = sqlGrammarFor(schema);
    for (const table of schema.tables) {
      expect(grammar).toContain(JSON.stringify(sqlIdentifier(table.name)));
      for (const column of table.columns)
        expect(grammar).toContain(JSON.stringify(sqlIdentifier(column.name)).slice(1, -1));
    }
    expect(sqlGrammarFor(schema)).toBe(grammar);
    expect(buildSqlGrammar(schema, { maxJoins: 0 }).length).toBeLessThan(grammar.length);
  });

  const skip = missingModelsReason();
  it.skipIf(skip !== undefined)(
    `makes a random-weight model write SQL that prepares and reads only real tables ${skip ?? ""}`,
    async () => {
      const engine: ManagedEngine = createEngine({
        modelFile: TINY_RANDOM_MODEL,
        config: { threads: 1, contextSize: 1024 },
      });
      const grammar = sqlGrammarFor(schema);
      const real = new Set(schema.tables.map((t) => t.name));
      try {
        for (let seed = 1; seed <= 5; seed += 1) {
          const result = await engine.complete("Question: how much did each customer buy?\nSQL: ", {
            grammar,
            temperature: 0.9,
            seed,
            maxTokens: 600,
          });
          const sql = result.text;
          expect(result.stopReason, sql).not.toBe("maxTokens");
          expect(() => checkSql(user.db, sql), sql).not.toThrow();
          const tables = tablesNamed(sql);
          expect(tables.length, sql).toBeGreaterThan(0);
          for (const table of tables) expect(real.has(table), `${table} in ${sql}`).toBe(true);
        }
      } finally {
        await engine.close();
      }
    },
  );
});
