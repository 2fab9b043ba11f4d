import { homedir, platform } from "node:os";
import { join, resolve } from "node:path";

export interface DataDirOptions {
  /** `--data-dir` from the command line; wins over everything. */
  flag?: string;
  env?: NodeJS.ProcessEnv;
}

/** `--data-dir`, else `ASKDB_HOME`, else the OS's usual place for application data. */
export function resolveDataDir(options: DataDirOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.flag) return resolve(options.flag);
  if (env.ASKDB_HOME) return resolve(env.ASKDB_HOME);
  return defaultAppDataDir(env);
}

function defaultAppDataDir(env: NodeJS.ProcessEnv): string {
  const home = homedir();
  switch (platform()) {
    case "win32":
      return join(env.LOCALAPPDATA ?? join(home, "AppData", "Local"), "askdb");
    case "darwin":
      return join(home, "Library", "Application Support", "askdb");
    default:
      return join(env.XDG_DATA_HOME ?? join(home, ".local", "share"), "askdb");
  }
}
