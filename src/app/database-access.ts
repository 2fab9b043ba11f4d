import { realpathSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { AskDbError } from "../errors/index.js";

export interface DatabaseAccessOptions {
  dataDir: string;
  /** The database askdb was started with (`--db`), if any. */
  startupDb?: string;
  /** Files and folders the person allowed (the setting `databases.allowed`), read at every check. */
  allowed: () => string[];
}

export interface DatabaseAccess {
  /** FORBIDDEN unless `path` is a database the person connected; the same answer whether it exists or not. */
  assertConnected(path: string): void;
}

export function demoDatabasePath(dataDir: string): string {
  return join(dataDir, "demo", "inventory.sqlite");
}

/**
 * The databases a caller other than the person at the terminal (the HTTP API) may open: the one
 * askdb started with, the demo, and those in `databases.allowed`. Nothing else in askdb's own data
 * folder ever is: its store holds the history, settings and feedback.
 */
export function createDatabaseAccess({ dataDir, startupDb, allowed }: DatabaseAccessOptions): DatabaseAccess {
  const ownFolder = canonical(dataDir);
  const demo = demoDatabasePath(ownFolder);
  const started = startupDb === undefined ? [] : [canonical(startupDb)];
  return {
    assertConnected(path) {
      const candidate = canonical(path);
      if (candidate === demo) return;
      const connected = [...started, ...allowed().map(canonical)];
      if (!isInside(candidate, ownFolder) && connected.some((place) => isInside(candidate, place))) return;
      // Not even the path is repeated: the answer is the same, byte for byte, for every refused path.
      throw new AskDbError(
        "FORBIDDEN",
        "askdb may only open the databases you connected, and this is not one",
        {
          hint: "connect it in a terminal: start askdb with `askdb serve --db <file>`, or allow the file or its folder with `askdb config set databases.allowed <path>`",
        },
      );
    },
  };
}

/**
 * The absolute path with every symbolic link resolved, up to the part that does not exist yet, so
 * neither a link nor a missing file can lead a check astray (and a refusal never depends on existence).
 */
function canonical(path: string): string {
  const missing: string[] = [];
  for (let existing = resolve(path); ; existing = dirname(existing)) {
    try {
      return join(realpathSync(existing), ...missing.reverse());
    } catch {
      if (dirname(existing) === existing) return resolve(path);
      missing.push(basename(existing));
    }
  }
}

function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}
