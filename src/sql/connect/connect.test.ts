import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openUserDatabase } from "./index.js";
import { createSampleDatabase } from "./sample-database.js";

const dir = mkdtempSync(join(tmpdir(), "askdb-connect-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function fingerprint(path: string): { hash: string; mtime: number } {
  return {
    hash: createHash("sha256").update(readFileSync(path)).digest("hex"),
    mtime: statSync(path).mtimeMs,
  };
}

describe("openUserDatabase", () => {
  it.each([
    ["rollback-journal", false],
    ["WAL", true],
  ])("reads a %s database without changing it or creating any file", (_mode, wal) => {
    const folder = join(dir, wal ? "wal" : "journal");
    mkdirSync(folder);
    const path = join(folder, "shop.sqlite");
    createSampleDatabase(path, { wal });
    const before = fingerprint(path);
    const database = openUserDatabase(path);
    expect(database.snapshot).toBe(wal);
    expect(database.db.prepare("SELECT count(*) FROM invoices").pluck().get()).toBe(200);
    expect(() => database.db.exec("DELETE FROM invoices")).toThrow();
    expect(readdirSync(folder)).toEqual(["shop.sqlite"]);
    database.close();
    expect(fingerprint(path)).toEqual(before);
    expect(readdirSync(folder)).toEqual(["shop.sqlite"]);
  });

  it("notices when a snapshot's file changed", () => {
    const path = join(dir, "changing.sqlite");
    createSampleDatabase(path, { wal: true });
    const database = openUserDatabase(path);
    expect(database.isStale()).toBe(false);
    const writer = new Database(path);
    writer.exec("DELETE FROM invoice_items");
    writer.close();
    expect(database.isStale()).toBe(true);
    database.close();
  });

  it("says when the file does not exist", () => {
    expect(() => openUserDatabase(join(dir, "nope.sqlite"))).toThrow(
      expect.objectContaining({ code: "NOT_FOUND", hint: expect.stringContaining("--db") }),
    );
  });

  it("says when the file is not SQLite", () => {
    const path = join(dir, "notes.txt");
    writeFileSync(path, "hello, this is plain text and not a database at all ".repeat(4));
    expect(() => openUserDatabase(path)).toThrow(
      expect.objectContaining({ code: "NOT_SQLITE", message: `${path} is not a SQLite database` }),
    );
    writeFileSync(join(dir, "empty.db"), "");
    expect(() => openUserDatabase(join(dir, "empty.db"))).toThrow(
      expect.objectContaining({ code: "NOT_SQLITE" }),
    );
    expect(() => openUserDatabase(dir)).toThrow(expect.objectContaining({ code: "NOT_SQLITE" }));
  });
});
