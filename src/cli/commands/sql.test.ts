import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAskdb } from "../../server/testing/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSampleDatabase } from "../../sql/connect/sample-database.js";

const dir = mkdtempSync(join(tmpdir(), "askdb-cli-sql-"));
const dbPath = join(dir, "shop.sqlite");

const askdb = (...args: string[]) => runAskdb(join(dir, "data"), ...args);

let originalHash: string;
const hashOf = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

beforeAll(() => {
  createSampleDatabase(dbPath);
  originalHash = hashOf(dbPath);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("askdb sql", () => {
  it("prints JSON {columns, rows, rowCount, truncated, elapsedMs}", async () => {
    const { code, stdout } = await askdb(
      "sql",
      "--db",
      dbPath,
      "--json",
      "--max-rows",
      "2",
      "SELECT id, name FROM customers ORDER BY id",
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      columns: [
        { name: "id", type: "INTEGER" },
        { name: "name", type: "TEXT" },
      ],
      rows: [
        [1, "Customer 1"],
        [2, "Customer 2"],
      ],
      rowCount: 2,
      truncated: true,
      elapsedMs: expect.any(Number),
    });
  });

  it("prints a table", async () => {
    const { code, stdout, stderr } = await askdb(
      "sql",
      "--db",
      dbPath,
      "SELECT count(*) AS invoices FROM invoices",
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/invoices[\s\S]*200/);
    expect(stderr).toContain("1 row in");
  });

  it("refuses writing statements with a clear message and exit 1", async () => {
    const { code, stderr } = await askdb("sql", "--db", dbPath, "DELETE FROM invoices");
    expect(code).toBe(1);
    expect(stderr).toContain("refused: only read-only queries");
    expect(hashOf(dbPath)).toBe(originalHash);
  });

  it("explains a missing file, a file that is not SQLite, a syntax error and a bad flag", async () => {
    const missing = await askdb("sql", "--db", join(dir, "nope.sqlite"), "SELECT 1");
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining("database file not found") });
    const text = join(dir, "notes.txt");
    writeFileSync(text, "not a database, just some words ".repeat(5));
    const notSqlite = await askdb("sql", "--db", text, "--json", "SELECT 1");
    expect(notSqlite.code).toBe(1);
    expect(JSON.parse(notSqlite.stdout).error).toMatchObject({
      code: "NOT_SQLITE",
      message: `${text} is not a SQLite database`,
    });
    const syntax = await askdb("sql", "--db", dbPath, "SELECT * FROM invoices WHERE AND total > 1");
    expect(syntax).toMatchObject({ code: 1, stderr: expect.stringContaining("syntax error") });
    const badFlag = await askdb("sql", "--db", dbPath, "--max-rows", "lots", "SELECT 1");
    expect(badFlag).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("--max-rows must be a positive whole number"),
    });
  });
});
