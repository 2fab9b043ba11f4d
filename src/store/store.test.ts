import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, resolveDataDir, schemaVersion } from "./index.js";
import { migrations } from "./migrations.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "askdb-store-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("state store", () => {
  it("creates the schema in WAL mode at the newest version", () => {
    const store = openStore(tempDir());
    expect(store.db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(schemaVersion(store.db)).toBe(Math.max(...migrations.map((m) => m.version)));
    const tables = store.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[];
    expect(tables).toEqual(
      expect.arrayContaining(["models", "downloads", "knowledge", "history", "settings"]),
    );
    store.close();
  });

  it("keeps a new data folder and its store readable by their owner alone", () => {
    const dataDir = join(tempDir(), "fresh");
    const store = openStore(dataDir);
    store.setMeta("k", "v");
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of [store.path, `${store.path}-wal`]) expect(statSync(file).mode & 0o077).toBe(0);
    store.close();
  });

  it("keeps what was written across a reopen", () => {
    const dir = tempDir();
    const first = openStore(dir);
    first.setMeta("installation_id", "abc");
    first.close();
    const second = openStore(dir);
    expect(second.getMeta("installation_id")).toBe("abc");
    second.close();
  });

  it("rolls a failing migration back whole, leaving the version unchanged", () => {
    const dir = tempDir();
    openStore(dir).close();
    const broken = [
      ...migrations,
      { version: 999, name: "broken", sql: "CREATE TABLE t (a); SELECT * FROM nope;" },
    ];
    expect(() => openStore(dir, { migrations: broken })).toThrow(/no such table: nope/);
    const store = openStore(dir);
    expect(schemaVersion(store.db)).toBe(Math.max(...migrations.map((m) => m.version)));
    expect(store.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 't'").pluck().get()).toBe(0);
    store.close();
  });

  it("refuses a store written by a newer askdb", () => {
    const dir = tempDir();
    const store = openStore(dir);
    store.db.pragma("user_version = 9999");
    store.close();
    expect(() => openStore(dir)).toThrow(/newer askdb/);
  });

  it("allows only one active model of each kind", () => {
    const store = openStore(tempDir());
    const insert = store.db.prepare(
      "INSERT INTO models (id, name, kind, file_path, size_bytes, source, installed_at, active) VALUES (?, ?, 'llm', '/x', 1, 'file', 'now', 1)",
    );
    insert.run("a", "A");
    expect(() => insert.run("b", "B")).toThrow(/UNIQUE/);
    store.close();
  });
});

describe("data directory", () => {
  it("prefers --data-dir, then ASKDB_HOME, then the OS default", () => {
    expect(resolveDataDir({ flag: "/tmp/x", env: { ASKDB_HOME: "/tmp/y" } })).toBe("/tmp/x");
    expect(resolveDataDir({ env: { ASKDB_HOME: "/tmp/y" } })).toBe("/tmp/y");
    expect(resolveDataDir({ env: { XDG_DATA_HOME: "/tmp/xdg" } })).toBe(join("/tmp/xdg", "askdb"));
  });
});
