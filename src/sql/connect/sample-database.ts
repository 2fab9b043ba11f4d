import Database from "better-sqlite3";

/**
 * A small shop database for tests and examples: customers, products, invoices with foreign keys,
 * a low-cardinality status column, a view and a blob column. Deterministic.
 */
export function createSampleDatabase(path: string, options: { wal?: boolean } = {}): void {
  const db = new Database(path);
  if (options.wal) db.pragma("journal_mode = WAL");
  db.exec(`
    CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, city TEXT, credit_limit REAL DEFAULT 0);
    CREATE TABLE products (id INTEGER PRIMARY KEY, sku TEXT NOT NULL UNIQUE, name TEXT NOT NULL, category TEXT NOT NULL, price REAL NOT NULL, image BLOB);
    CREATE TABLE invoices (
      id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id),
      issued_on TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'unpaid', total REAL NOT NULL
    );
    CREATE TABLE invoice_items (
      invoice_id INTEGER NOT NULL REFERENCES invoices(id), line INTEGER NOT NULL,
      product_id INTEGER NOT NULL REFERENCES products(id), quantity INTEGER NOT NULL,
      PRIMARY KEY (invoice_id, line)
    );
    CREATE INDEX invoices_by_customer ON invoices (customer_id);
    CREATE VIEW unpaid_invoices AS SELECT * FROM invoices WHERE status = 'unpaid';
  `);
  const cities = ["Pune", "Delhi", "Mumbai"];
  const categories = ["tools", "paint", "garden", "electrical"];
  const insert = db.transaction(() => {
    for (let i = 1; i <= 30; i++) {
      db.prepare("INSERT INTO customers VALUES (?, ?, ?, ?)").run(
        i,
        `Customer ${i}`,
        cities[i % 3],
        1000 * (i % 5),
      );
    }
    for (let i = 1; i <= 40; i++) {
      db.prepare("INSERT INTO products VALUES (?, ?, ?, ?, ?, ?)").run(
        i,
        `SKU-${i}`,
        `Product ${i}`,
        categories[i % 4],
        10 + i * 2.5,
        Buffer.from([i, i, i]),
      );
    }
    for (let i = 1; i <= 200; i++) {
      const day = String(1 + (i % 28)).padStart(2, "0");
      const month = String(1 + (i % 12)).padStart(2, "0");
      db.prepare("INSERT INTO invoices VALUES (?, ?, ?, ?, ?)").run(
        i,
        1 + (i % 30),
        `2024-${month}-${day}`,
        ["paid", "unpaid", "paid", "cancelled"][i % 4],
        50 + ((i * 37) % 500),
      );
      for (let line = 1; line <= 1 + (i % 3); line++) {
        db.prepare("INSERT INTO invoice_items VALUES (?, ?, ?, ?)").run(
          i,
          line,
          1 + ((i + line) % 40),
          1 + (line % 4),
        );
      }
    }
  });
  insert();
  db.close();
}
