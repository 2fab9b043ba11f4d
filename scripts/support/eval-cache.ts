import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { AskDbError } from "../../src/errors/index.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The folder where a measuring script keeps what it downloads, created: `flag` when given, else
 * `$ASKDB_HOME/<kind>`, else `$XDG_CACHE_HOME` (or ~/.cache) `/askdb/<kind>`. Never inside the
 * repository: downloaded weights and data must not be committed.
 */
export function evalCacheDir(flag: string | undefined, kind: "eval-models" | "eval-dbs"): string {
  const dir = flag
    ? resolve(flag)
    : process.env.ASKDB_HOME
      ? join(resolve(process.env.ASKDB_HOME), kind)
      : join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "askdb", kind);
  if (dir === REPO_ROOT || dir.startsWith(`${REPO_ROOT}/`)) {
    throw new AskDbError("INVALID_INPUT", `the cache ${dir} is inside the repository`, {
      hint: "choose a --cache-dir outside it: downloaded weights and data must never be committed",
    });
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}
