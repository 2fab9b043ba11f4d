import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { resolve } from "node:path";
import Database from "better-sqlite3";
import { AskDbError } from "../../errors/index.js";
import { formatBytes } from "../../util/index.js";

export interface UserDatabase {
  /** Absolute path of the user's file. */
  readonly path: string;
  /** A read-only, query-only better-sqlite3 connection. */
  readonly db: Database.Database;
  /**
   * True when the connection reads an in-memory copy of the file (a WAL-mode database that no
   * program has open): reading it in place would create -wal/-shm files next to the user's file.
   */
  readonly snapshot: boolean;
  /** True when the file changed since a snapshot was taken (always false for a live connection). */
  isStale(): boolean;
  close(): void;
}

const SQLITE_HEADER = Buffer.from("SQLite format 3\0", "latin1");
/** WAL-mode files up to this size are read as a snapshot; larger ones are opened in place. */
const MAX_SNAPSHOT_BYTES = 128 * 1024 * 1024;

/**
 * Opens the user's SQLite file so that nothing can be written through the connection: read-only,
 * `PRAGMA query_only`, extension loading never enabled. The file's bytes and mtime never change,
 * and no journal, -wal or -shm file is created next to it.
 */
export function openUserDatabase(path: string): UserDatabase {
  const absolute = resolve(path);
  const header = assertSqliteFile(absolute);
  const walMode = header[18] === 2 || header[19] === 2;
  const size = statSync(absolute).size;
  const useSnapshot = walMode && !existsSync(`${absolute}-wal`) && size <= MAX_SNAPSHOT_BYTES;
  const stampAtOpen = fileStamp(absolute);
  const db = useSnapshot ? openSnapshot(absolute) : openInPlace(absolute);
  db.pragma("query_only = ON");
  return {
    path: absolute,
    db,
    snapshot: useSnapshot,
    isStale: () => useSnapshot && fileStamp(absolute) !== stampAtOpen,
    close: () => db.close(),
  };
}

/** Checks that `path` is an existing SQLite file and returns its 100-byte header. */
export function assertSqliteFile(path: string): Buffer {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new AskDbError("NOT_FOUND", `database file not found: ${absolute}`, {
      hint: "check the path given with --db (relative paths are resolved from the current folder)",
    });
  }
  if (!statSync(absolute).isFile()) {
    throw new AskDbError("NOT_SQLITE", `${absolute} is not a SQLite database (it is a folder)`, {
      hint: "give the path of the .sqlite/.db file itself",
    });
  }
  const header = readHeader(absolute);
  if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_HEADER)) {
    throw new AskDbError("NOT_SQLITE", `${absolute} is not a SQLite database`, {
      hint: "askdb reads SQLite 3 files (usually .sqlite, .sqlite3 or .db); export other databases to SQLite first",
      details: { path: absolute, bytes: statSync(absolute).size },
    });
  }
  return header;
}

function readHeader(path: string): Buffer {
  const header = Buffer.alloc(100);
  const fd = openSync(path, "r");
  try {
    const read = readSync(fd, header, 0, 100, 0);
    return header.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

function openInPlace(path: string): Database.Database {
  try {
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new AskDbError("NOT_SQLITE", `cannot open ${path}: ${(error as Error).message}`, {
      hint: "check that the file is a readable SQLite database",
      cause: error,
    });
  }
}

/** Reads the file into memory and marks the copy as rollback-journal mode (the file is untouched). */
function openSnapshot(path: string): Database.Database {
  const bytes = readFileSync(path);
  bytes[18] = 1;
  bytes[19] = 1;
  try {
    return new Database(bytes, { readonly: true });
  } catch (error) {
    throw new AskDbError(
      "NOT_SQLITE",
      `cannot read ${path} (${formatBytes(bytes.length)}): ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

function fileStamp(path: string): string {
  const stat = statSync(path);
  return `${stat.size}:${stat.mtimeMs}`;
}
