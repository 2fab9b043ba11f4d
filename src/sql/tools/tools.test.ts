import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openUserDatabase, type UserDatabase } from "../connect/index.js";
import { createSampleDatabase } from "../connect/sample-database.js";
import { createQueryExecutor, type QueryExecutor } from "../guard/index.js";
import { createDatabaseTools, type DatabaseTools } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "askdb-tools-"));
let database: UserDatabase;
let executor: QueryExecutor;
let tools: DatabaseTools;

beforeAll(() => {
  const path = join(dir, "shop.sqlite");
  createSampleDatabase(path);
  database = openUserDatabase(path);
  executor = createQueryExecutor(path);
  tools = createDatabaseTools(executor, database);
});

afterAll(async () => {
  database.close();
  await executor.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("database tools", () => {
  it("defines list_tables, describe_table and run_sql with JSON-schema parameters", () => {
    expect(tools.definitions.map((d) => d.name)).toEqual(["list_tables", "describe_table", "run_sql"]);
    expect(tools.definitions[2].parameters).toMatchObject({ type: "object", required: ["sql"] });
  });

  it("lists tables with row counts and columns", async () => {
    const output = await tools.call("list_tables", {});
    expect(output.content).toContain("invoices (200 rows): id, customer_id, issued_on, status, total");
    expect(output.content).toContain("unpaid_invoices (view)");
  });

  it("describes a table, and names the real tables for an unknown one", async () => {
    expect((await tools.call("describe_table", { table: "Invoices" })).content).toContain(
      "customer_id INTEGER NOT NULL REFERENCES customers(id)",
    );
    const unknown = await tools.call("describe_table", { table: "orders" });
    expect(unknown).toMatchObject({
      isError: true,
      content: expect.stringContaining("customers, invoice_items, invoices"),
    });
  });

  it("runs read-only SQL and returns rows, refusing writes as text the model can read", async () => {
    const output = await tools.call("run_sql", {
      sql: "SELECT status, count(*) AS n FROM invoices GROUP BY status ORDER BY status",
    });
    expect(JSON.parse(output.content)).toEqual({
      columns: ["status", "n"],
      rows: [
        ["cancelled", 50],
        ["paid", 100],
        ["unpaid", 50],
      ],
      rowCount: 3,
      truncated: false,
    });
    expect(output.result?.rowCount).toBe(3);
    const limited = JSON.parse(
      (await tools.call("run_sql", { sql: "SELECT id FROM customers", max_rows: 2 })).content,
    );
    expect(limited).toMatchObject({ rowCount: 2, truncated: true });
    expect(await tools.call("run_sql", { sql: "DROP TABLE invoices" })).toMatchObject({
      isError: true,
      content: expect.stringContaining("refused"),
    });
    expect(await tools.call("run_sql", {})).toMatchObject({
      isError: true,
      content: expect.stringContaining('"sql"'),
    });
    expect(await tools.call("drop_everything", {})).toMatchObject({ isError: true });
  });
});
