import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { AskDbError } from "../errors/index.js";
import { BUSINESS } from "./catalog.js";
import { DEMO_END_DATE, generateDemoTables, type Row } from "./generate.js";
import { DEMO_SCHEMA_FILE } from "./paths.js";

/** Bump whenever the generator's output changes: cached demo databases are then rebuilt. */
export const DEMO_GENERATOR_VERSION = 1;
export const DEFAULT_DEMO_SEED = 20261031;

export interface BuildDemoOptions {
  seed?: number;
}

/** Builds the demo inventory database at `path` (a temp file beside it, renamed when complete). */
export function buildDemoDatabase(path: string, options: BuildDemoOptions = {}): void {
  const seed = options.seed ?? DEFAULT_DEMO_SEED;
  const schema = readSchema();
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  rmSync(temporary, { force: true });
  try {
    const db = new Database(temporary);
    try {
      db.pragma("foreign_keys = ON");
      db.transaction(() => {
        db.exec(schema);
        const tables = generateDemoTables(seed);
        tables.settings.push(...settingsRows(seed, schema));
        for (const [table, rows] of Object.entries(tables)) insertRows(db, table, rows);
      })();
      db.pragma(`user_version = ${DEMO_GENERATOR_VERSION}`);
    } finally {
      db.close();
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const diskFull = /ENOSPC|SQLITE_FULL/.test(String((error as { code?: unknown }).code));
    throw new AskDbError(
      diskFull ? "DISK_FULL" : "INTERNAL",
      `could not build the demo database at ${path}: ${(error as Error).message}`,
      {
        hint: diskFull
          ? "free some disk space (the demo database needs about 10 MB), then try again"
          : "check that the data directory is writable, then try again",
        cause: error,
      },
    );
  }
}

/** Returns `<dataDir>/demo/inventory.sqlite`, building it when missing or made by another generator version. */
export function ensureDemoDatabase(dataDir: string): string {
  const path = join(dataDir, "demo", "inventory.sqlite");
  if (!isCurrentDemo(path)) buildDemoDatabase(path);
  return path;
}

function isCurrentDemo(path: string): boolean {
  if (!existsSync(path)) return false;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const version = db.pragma("user_version", { simple: true });
      const stored = db.prepare("SELECT value FROM settings WHERE key = 'demo_schema_sha256'").pluck().get();
      return version === DEMO_GENERATOR_VERSION && stored === sha256(readSchema());
    } finally {
      db.close();
    }
  } catch {
    return false; // unreadable or not our file: rebuild it
  }
}

function readSchema(): string {
  try {
    return readFileSync(DEMO_SCHEMA_FILE, "utf8");
  } catch (error) {
    throw new AskDbError("NOT_FOUND", `the demo schema is missing: ${DEMO_SCHEMA_FILE}`, {
      hint: "reinstall askdb: the package's demo/training folder is incomplete",
      cause: error,
    });
  }
}

function settingsRows(seed: number, schema: string): Row[] {
  const updatedAt = `${DEMO_END_DATE} 20:00:00`;
  const entries: [string, string][] = [
    ["business_name", BUSINESS.name],
    ["business_address", BUSINESS.address],
    ["business_gstin", BUSINESS.gstin],
    ["business_state", BUSINESS.state],
    ["currency", "INR"],
    ["financial_year_start", "04-01"],
    ["invoice_prefix", "INV-"],
    ["purchase_order_prefix", "PO-"],
    ["default_payment_terms_days", "30"],
    ["low_stock_alerts", "enabled"],
    ["data_as_of", DEMO_END_DATE],
    ["demo_seed", String(seed)],
    ["demo_generator_version", String(DEMO_GENERATOR_VERSION)],
    ["demo_schema_sha256", sha256(schema)],
  ];
  return entries.map(([key, value]) => ({ key, value, updated_at: updatedAt }));
}

function insertRows(db: Database.Database, table: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const insert = db.prepare(
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((column) => `@${column}`).join(", ")})`,
  );
  for (const row of rows) insert.run(row);
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
