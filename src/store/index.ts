import Database from "better-sqlite3";
import { closeSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import { AskDbError } from "../errors/index.js";
import { migrations, type Migration } from "./migrations.js";

export { resolveDataDir, type DataDirOptions } from "./data-dir.js";
export type { Migration } from "./migrations.js";

export type SqliteDatabase = Database.Database;

/** askdb's own state: models, downloads, knowledge, history, feedback, settings, flags, metrics. */
export interface Store {
  readonly db: SqliteDatabase;
  readonly dataDir: string;
  readonly path: string;
  /** Runs `fn` in one transaction: all of its writes land, or none. */
  transaction<T>(fn: () => T): T;
  getMeta(key: string): string | undefined;
  setMeta(key: string, value: string): void;
  close(): void;
}

export const STORE_FILE_NAME = "askdb.sqlite";

export function openStore(dataDir: string, options: { migrations?: Migration[] } = {}): Store {
  // History, cached rows and settings are the user's alone: a new folder and store are owner-only.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, STORE_FILE_NAME);
  closeSync(openSync(path, "a", 0o600));
  const db = openStoreDatabase(path);
  migrate(db, options.migrations ?? migrations);
  return wrap(db, dataDir, path);
}

function openStoreDatabase(path: string): SqliteDatabase {
  let db: SqliteDatabase;
  try {
    db = new Database(path);
    db.pragma("journal_mode = WAL");
  } catch (error) {
    throw new AskDbError(
      "INTERNAL",
      `cannot open askdb's state store at ${path}: ${(error as Error).message}`,
      {
        hint: "check that the data directory is writable, or choose another with --data-dir or ASKDB_HOME",
        cause: error,
      },
    );
  }
  // FULL: an acknowledged write survives power loss too, not only a killed process.
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  return db;
}

/**
 * Deletes the rows of `table` whose time `column` is before `cutoff`, or every row when null: how
 * each module that owns records under the history retention purges its own table.
 */
export function purgeRows(store: Store, table: string, column: string, cutoff: Date | null): number {
  const sql =
    cutoff === null
      ? `DELETE FROM ${table}`
      : `DELETE FROM ${table} WHERE julianday(${column}) < julianday(?)`;
  return store.db.prepare(sql).run(...(cutoff === null ? [] : [cutoff.toISOString()])).changes;
}

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma("user_version", { simple: true }) as number;
}

function migrate(db: SqliteDatabase, all: Migration[]): void {
  const current = schemaVersion(db);
  const newest = Math.max(0, ...all.map((m) => m.version));
  if (current > newest) {
    throw new AskDbError(
      "CONFLICT",
      `the state store was written by a newer askdb (schema ${current}, this askdb knows ${newest})`,
      { hint: "upgrade askdb, or point --data-dir at another folder" },
    );
  }
  const pending = all.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const migration of pending) {
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

function wrap(db: SqliteDatabase, dataDir: string, path: string): Store {
  const getMeta = db.prepare<[string], { value: string }>("SELECT value FROM meta WHERE key = ?");
  const setMeta = db.prepare(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
  );
  return {
    db,
    dataDir,
    path,
    transaction: (fn) => db.transaction(fn)(),
    getMeta: (key) => getMeta.get(key)?.value,
    setMeta: (key, value) => void setMeta.run(key, value),
    close: () => {
      if (db.open) db.close();
    },
  };
}
