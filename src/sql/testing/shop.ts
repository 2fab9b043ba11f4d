import Database from "better-sqlite3";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../store/index.js";

/** A small shop database and a fresh state store in a temp folder, for tests of the pipeline. */
export interface ShopFixture {
  dir: string;
  dbPath: string;
  store: Store;
  cleanup(): void;
}

export const SHOP_PAIRS = [
  { question: "How many customers are there?", sql: "SELECT COUNT(*) AS customers FROM customers" },
  {
    question: "Which products cost more than 100?",
    sql: "SELECT name, price FROM products WHERE price > 100 ORDER BY price DESC",
  },
  {
    question: "Total revenue per customer",
    sql: "SELECT c.name, SUM(i.total) AS revenue FROM invoices i JOIN customers c ON c.id = i.customer_id GROUP BY c.name ORDER BY revenue DESC",
  },
  {
    question: "List the unpaid invoices",
    sql: "SELECT id, customer_id, total FROM invoices WHERE status = 'unpaid'",
  },
];

export function createShopFixture(): ShopFixture {
  const dir = mkdtempSync(join(tmpdir(), "askdb-shop-"));
  const dbPath = join(dir, "shop.sqlite");
  const db = new Database(dbPath);
  db.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, credit_limit REAL);
    CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT NOT NULL, category TEXT, price REAL NOT NULL, stock INTEGER NOT NULL);
    CREATE TABLE invoices (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), invoice_date TEXT NOT NULL, status TEXT NOT NULL, total REAL NOT NULL);
    CREATE TABLE invoice_items (id INTEGER PRIMARY KEY, invoice_id INTEGER NOT NULL REFERENCES invoices(id), product_id INTEGER NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL, unit_price REAL NOT NULL);
  `);
  const insert = db.transaction(() => {
    const cities = ["Pune", "Delhi", "Chennai"];
    for (let i = 1; i <= 12; i += 1)
      db.prepare("INSERT INTO customers VALUES (?, ?, ?, ?)").run(
        i,
        `Customer ${i}`,
        cities[i % 3],
        1000 * i,
      );
    for (let i = 1; i <= 20; i += 1)
      db.prepare("INSERT INTO products VALUES (?, ?, ?, ?, ?)").run(
        i,
        `Product ${i}`,
        i % 2 ? "tools" : "paint",
        15 * i,
        (i * 7) % 50,
      );
    for (let i = 1; i <= 60; i += 1) {
      const status = ["paid", "unpaid", "partially_paid"][i % 3];
      db.prepare("INSERT INTO invoices VALUES (?, ?, ?, ?, ?)").run(
        i,
        (i % 12) + 1,
        `2026-${String((i % 10) + 1).padStart(2, "0")}-15`,
        status,
        100 + i * 3,
      );
      db.prepare("INSERT INTO invoice_items VALUES (?, ?, ?, ?, ?)").run(
        i,
        i,
        (i % 20) + 1,
        (i % 4) + 1,
        15 * ((i % 20) + 1),
      );
    }
  });
  insert();
  db.close();
  const store = openStore(join(dir, "data"));
  return {
    dir,
    dbPath,
    store,
    cleanup: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
