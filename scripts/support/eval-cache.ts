import { homedir } from "node:os";
import { join, resolve } from "node:path";

/**
 * Where the measuring scripts keep what they download (never inside the repository): `flag` when
 * given, else `$ASKDB_HOME/<kind>`, else `$XDG_CACHE_HOME` (or ~/.cache) `/askdb/<kind>`.
 */
export function evalCacheDir(flag: string | undefined, kind: "eval-models" | "eval-dbs"): string {
  if (flag) return resolve(flag);
  if (process.env.ASKDB_HOME) return join(resolve(process.env.ASKDB_HOME), kind);
  return join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "askdb", kind);
}
