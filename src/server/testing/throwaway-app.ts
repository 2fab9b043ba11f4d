import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { createAskDb, type AskDb } from "../../app/index.js";
import type { ServerApp } from "../context.js";
import { createHttpApp } from "../http-app.js";
import { createLogger } from "../logger.js";

export interface ThrowawayApp {
  askdb: AskDb;
  app: ServerApp;
  /** GET /openapi.json as the app serves it. */
  openApiDocument(): Promise<unknown>;
  close(): Promise<void>;
}

/** The real HTTP app, in memory, on a throwaway data folder and a one-table database. */
export async function openThrowawayApp(): Promise<ThrowawayApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "askdb-throwaway-"));
  const db = join(dataDir, "tiny.sqlite");
  new Database(db).exec("CREATE TABLE t (id INTEGER PRIMARY KEY)").close();
  const askdb = await createAskDb({ dataDir, db });
  const app = createHttpApp({
    askdb,
    logger: createLogger("silent"),
    bindHost: "127.0.0.1",
    token: "throwaway-token",
    tokenEverywhere: false,
    webRoot: join(dataDir, "no-web-ui"),
    shutdown: new AbortController().signal,
  });
  return {
    askdb,
    app,
    openApiDocument: async () => {
      const response = await app.request("/openapi.json", { headers: { host: "127.0.0.1" } });
      if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
      return response.json();
    },
    close: async () => {
      await askdb.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
