import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildDemoDatabase,
  DEMO_EVAL_FILE,
  DEMO_GENERATOR_VERSION,
  DEMO_SCHEMA_FILE,
  DEMO_TRAINING_DIR,
  ensureDemoDatabase,
} from "./index.js";

interface Pair {
  question: string;
  sql: string;
}

const SALE_STATUSES = "('paid', 'partially_paid', 'unpaid')";
let workDir: string;
let dbPath: string;
let db: Database.Database;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "askdb-demo-"));
  dbPath = join(workDir, "inventory.sqlite");
  buildDemoDatabase(dbPath);
  db = new Database(dbPath, { readonly: true, fileMustExist: true });
});

afterAll(() => {
  db?.close();
  rmSync(workDir, { recursive: true, force: true });
});

function contentHash(path: string): string {
  const database = new Database(path, { readonly: true });
  const hash = createHash("sha256");
  const tables = database
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
    .pluck()
    .all() as string[];
  for (const table of tables) {
    for (const row of database.prepare(`SELECT * FROM ${table} ORDER BY rowid`).raw().iterate())
      hash.update(JSON.stringify(row));
  }
  database.close();
  return hash.digest("hex");
}

function count(sql: string): number {
  return db.prepare(sql).pluck().get() as number;
}

function readPairs(file: string): Pair[] {
  const pairs = JSON.parse(readFileSync(file, "utf8")) as Pair[];
  expect(Array.isArray(pairs), file).toBe(true);
  for (const pair of pairs) {
    expect(typeof pair.question, file).toBe("string");
    expect(typeof pair.sql, file).toBe("string");
  }
  return pairs;
}

const pairsDir = join(DEMO_TRAINING_DIR, "question_sql_pairs");
const trainingFiles = ["products", "sales", "customers", "suppliers", "inventory", "analytics"].map((name) =>
  join(pairsDir, `${name}_queries.json`),
);
const normalize = (question: string): string =>
  question
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

describe("demo database generator", () => {
  it("is deterministic: one seed gives the same content, another seed different content", () => {
    const again = join(workDir, "again.sqlite");
    const other = join(workDir, "other.sqlite");
    buildDemoDatabase(again);
    buildDemoDatabase(other, { seed: 7 });
    expect(contentHash(again)).toBe(contentHash(dbPath));
    expect(contentHash(other)).not.toBe(contentHash(dbPath));
  });

  it("executes the training DDL verbatim, so the schema and the training set agree", () => {
    const fresh = new Database(":memory:");
    fresh.exec(readFileSync(DEMO_SCHEMA_FILE, "utf8"));
    const schemaOf = (database: Database.Database) =>
      database.prepare("SELECT type, name, sql FROM sqlite_schema ORDER BY name").all();
    expect(schemaOf(db)).toEqual(schemaOf(fresh));
    fresh.close();
  });

  it("has at least 15 tables, with foreign keys that all hold", () => {
    const tables = db
      .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
      .pluck()
      .all() as string[];
    expect(tables.length).toBeGreaterThanOrEqual(15);
    const withForeignKeys = tables.filter(
      (table) => (db.pragma(`foreign_key_list(${table})`) as unknown[]).length > 0,
    );
    expect(withForeignKeys.length).toBeGreaterThanOrEqual(10);
    expect(db.pragma("foreign_key_check")).toEqual([]);
  });

  it("has realistic volumes over two years ending 2026-10-31", () => {
    expect(count("SELECT count(*) FROM products")).toBeGreaterThanOrEqual(200);
    expect(count("SELECT count(*) FROM customers")).toBeGreaterThanOrEqual(200);
    expect(count("SELECT count(*) FROM suppliers")).toBeGreaterThanOrEqual(10);
    expect(count("SELECT count(*) FROM invoices")).toBeGreaterThanOrEqual(2000);
    expect(count("SELECT count(*) FROM invoice_items")).toBeGreaterThanOrEqual(10_000);
    expect(
      db.prepare("SELECT min(invoice_date) AS first, max(invoice_date) AS last FROM invoices").get(),
    ).toEqual({ first: "2024-11-01", last: "2026-10-31" });
    for (const status of ["paid", "partially_paid", "unpaid", "cancelled", "draft"]) {
      expect(count(`SELECT count(*) FROM invoices WHERE status = '${status}'`), status).toBeGreaterThan(0);
    }
    for (const status of ["draft", "ordered", "partially_received", "received", "cancelled"]) {
      expect(
        count(`SELECT count(*) FROM purchase_orders WHERE status = '${status}'`),
        status,
      ).toBeGreaterThan(0);
    }
  });

  it("shows seasonality, overdue balances and low-stock items", () => {
    const monthly = (month: string) =>
      count(`SELECT count(*) FROM invoices WHERE strftime('%m', invoice_date) = '${month}'`);
    expect(monthly("10")).toBeGreaterThan(monthly("07") * 1.3);
    expect(
      count(
        `SELECT count(*) FROM invoices WHERE status IN ('unpaid', 'partially_paid') AND due_date < '2026-10-31'`,
      ),
    ).toBeGreaterThan(10);
    const lowStock = `SELECT count(*) FROM (SELECT p.id FROM products p LEFT JOIN inventory_batches b ON b.product_id = p.id
      WHERE p.is_active = 1 GROUP BY p.id HAVING coalesce(sum(b.quantity_remaining), 0) <= p.reorder_level)`;
    expect(count(lowStock)).toBeGreaterThan(5);
  });

  it("keeps invoice and purchase order amounts consistent with their lines and payments", () => {
    expect(
      count(
        `SELECT count(*) FROM invoices i WHERE abs(i.total_amount - (SELECT sum(line_total) FROM invoice_items WHERE invoice_id = i.id)) > 0.011`,
      ),
    ).toBe(0);
    expect(
      count(
        `SELECT count(*) FROM invoices WHERE abs(total_amount - taxable_amount - tax_amount) > 0.001 OR abs(tax_amount - cgst_amount - sgst_amount - igst_amount) > 0.001`,
      ),
    ).toBe(0);
    expect(
      count(
        `SELECT count(*) FROM invoices i WHERE abs(i.amount_paid - coalesce((SELECT sum(amount) FROM customer_payments WHERE invoice_id = i.id), 0)) > 0.001`,
      ),
    ).toBe(0);
    expect(
      count(
        `SELECT count(*) FROM invoices WHERE (status = 'paid' AND amount_paid < total_amount - 0.001) OR (status = 'unpaid' AND amount_paid > 0)`,
      ),
    ).toBe(0);
    expect(
      count(
        `SELECT count(*) FROM purchase_orders po WHERE abs(po.amount_paid - coalesce((SELECT sum(amount) FROM supplier_payments WHERE purchase_order_id = po.id), 0)) > 0.001`,
      ),
    ).toBe(0);
    expect(
      count(`SELECT count(*) FROM purchase_order_items WHERE quantity_received > quantity_ordered`),
    ).toBe(0);
    expect(
      count(
        `SELECT count(*) FROM purchase_orders po WHERE status = 'received' AND EXISTS (SELECT 1 FROM purchase_order_items WHERE purchase_order_id = po.id AND quantity_received < quantity_ordered)`,
      ),
    ).toBe(0);
  });

  it("keeps FIFO batches consistent with stock movements and sales", () => {
    // A batch's remaining quantity is the sum of its movements.
    expect(
      count(
        `SELECT count(*) FROM inventory_batches b WHERE quantity_remaining != (SELECT sum(quantity) FROM stock_movements WHERE batch_id = b.id)`,
      ),
    ).toBe(0);
    // Each batch is received by exactly one inbound movement of its full quantity.
    expect(
      count(
        `SELECT count(*) FROM inventory_batches b WHERE quantity_received != (SELECT sum(quantity) FROM stock_movements WHERE batch_id = b.id AND quantity > 0)`,
      ),
    ).toBe(0);
    // Purchase receipts add up to what the purchase order items say was received.
    expect(
      count(
        `SELECT count(*) FROM purchase_order_items i WHERE quantity_received != coalesce((SELECT sum(quantity_received) FROM inventory_batches WHERE purchase_order_item_id = i.id), 0)`,
      ),
    ).toBe(0);
    // Every line of a real sale left stock with exactly its quantity, at its FIFO cost; drafts and cancelled ones moved nothing.
    const moved = `(SELECT -sum(quantity) FROM stock_movements WHERE reference_type = 'invoice_item' AND reference_id = ii.id)`;
    expect(
      count(
        `SELECT count(*) FROM invoice_items ii JOIN invoices i ON i.id = ii.invoice_id WHERE i.status IN ${SALE_STATUSES} AND ii.quantity != ${moved}`,
      ),
    ).toBe(0);
    expect(
      count(
        `SELECT count(*) FROM invoice_items ii JOIN invoices i ON i.id = ii.invoice_id WHERE i.status NOT IN ${SALE_STATUSES} AND ${moved} IS NOT NULL`,
      ),
    ).toBe(0);
    const cost = `(SELECT -sum(quantity * unit_cost) FROM stock_movements WHERE reference_type = 'invoice_item' AND reference_id = ii.id)`;
    expect(
      count(
        `SELECT count(*) FROM invoice_items ii JOIN invoices i ON i.id = ii.invoice_id WHERE i.status IN ${SALE_STATUSES} AND abs(ii.cost_amount - ${cost}) > 0.01`,
      ),
    ).toBe(0);
    // FIFO order: per product, batches (oldest first) are used up, then at most one partly used, then untouched.
    const batches = db
      .prepare(
        "SELECT product_id, quantity_received, quantity_remaining FROM inventory_batches ORDER BY product_id, received_date, id",
      )
      .all() as {
      product_id: number;
      quantity_received: number;
      quantity_remaining: number;
    }[];
    const violations: number[] = [];
    let product = -1;
    let reachedStock = false;
    for (const batch of batches) {
      if (batch.product_id !== product) [product, reachedStock] = [batch.product_id, false];
      if (reachedStock && batch.quantity_remaining !== batch.quantity_received) violations.push(product);
      if (batch.quantity_remaining > 0) reachedStock = true;
    }
    expect(violations).toEqual([]);
  });

  it("has at least 80 training pairs and 40 held-out pairs, none of them shared", () => {
    const training = trainingFiles.flatMap(readPairs);
    const evaluation = readPairs(DEMO_EVAL_FILE);
    expect(training.length).toBeGreaterThanOrEqual(80);
    expect(evaluation.length).toBeGreaterThanOrEqual(40);
    const trainingQuestions = new Set(training.map((pair) => normalize(pair.question)));
    expect(trainingQuestions.size).toBe(training.length);
    expect(evaluation.filter((pair) => trainingQuestions.has(normalize(pair.question)))).toEqual([]);
  });

  it("has the documentation files, split into sections", () => {
    const docs = readdirSync(join(DEMO_TRAINING_DIR, "documentation")).sort();
    expect(docs).toEqual([
      "customers.md",
      "inventory.md",
      "invoices.md",
      "payments.md",
      "products.md",
      "purchase_orders.md",
      "suppliers.md",
    ]);
    for (const doc of docs)
      expect(readFileSync(join(DEMO_TRAINING_DIR, "documentation", doc), "utf8")).toMatch(/^## /m);
  });

  it("runs every training and held-out SQL read-only with at least one row", () => {
    const failures: string[] = [];
    for (const file of [...trainingFiles, DEMO_EVAL_FILE]) {
      for (const pair of readPairs(file)) {
        try {
          const statement = db.prepare(pair.sql);
          if (!statement.reader || !statement.readonly)
            failures.push(`${pair.question}: not a read-only query`);
          else if (statement.all().length === 0) failures.push(`${pair.question}: no rows`);
        } catch (error) {
          failures.push(`${pair.question}: ${(error as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});

describe("ensureDemoDatabase", () => {
  it("builds the demo once into the data dir and rebuilds it when the generator version differs", () => {
    const dataDir = join(workDir, "data");
    const path = ensureDemoDatabase(dataDir);
    expect(path).toBe(join(dataDir, "demo", "inventory.sqlite"));
    const database = new Database(path);
    expect(database.pragma("user_version", { simple: true })).toBe(DEMO_GENERATOR_VERSION);
    database.exec("DELETE FROM returns");
    database.close();
    ensureDemoDatabase(dataDir);
    expect(countIn(path, "SELECT count(*) FROM returns")).toBe(0); // current version: kept as it is

    const stale = new Database(path);
    stale.pragma(`user_version = ${DEMO_GENERATOR_VERSION + 100}`);
    stale.close();
    ensureDemoDatabase(dataDir);
    expect(countIn(path, "SELECT count(*) FROM returns")).toBeGreaterThan(0);
    expect(readdirSync(join(dataDir, "demo"))).toEqual(["inventory.sqlite"]);
  });

  it("replaces a file that is not a SQLite database", () => {
    const dataDir = join(workDir, "corrupt");
    const path = join(dataDir, "demo", "inventory.sqlite");
    ensureDemoDatabase(dataDir);
    writeFileSync(path, "not a database");
    expect(ensureDemoDatabase(dataDir)).toBe(path);
    expect(countIn(path, "SELECT count(*) FROM invoices")).toBeGreaterThan(0);
  });
});

function countIn(path: string, sql: string): number {
  const database = new Database(path, { readonly: true });
  try {
    return database.prepare(sql).pluck().get() as number;
  } finally {
    database.close();
  }
}
