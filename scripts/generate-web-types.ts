/**
 * Writes web/src/api/generated.ts: the TypeScript types of askdb's HTTP API, generated from the
 * OpenAPI document the server serves at /openapi.json (its shapes live in src/server/schemas/).
 *
 *   npm run gen:web-types
 *
 * Run it after changing a shape in src/server/schemas/; src/server/web-types.test.ts fails while
 * the committed file differs from what this script writes.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { createAskDb } from "../src/app/index.js";
import { createHttpApp, createLogger } from "../src/server/index.js";

export const GENERATED_FILE = fileURLToPath(new URL("../web/src/api/generated.ts", import.meta.url));

const HEADER = `/**
 * GENERATED FILE, DO NOT EDIT: the types of askdb's HTTP API, from the OpenAPI document at
 * /openapi.json (the zod schemas in src/server/schemas/). Regenerate with \`npm run gen:web-types\`;
 * src/server/web-types.test.ts fails while this file is stale. web/src/api/types.ts names them.
 */

`;

/**
 * The document /openapi.json serves, from the real HTTP app (as src/server/openapi.test.ts reads it)
 * on a throwaway data folder and a one-table database.
 */
export async function openApiDocument(): Promise<OpenAPI3> {
  const dataDir = mkdtempSync(join(tmpdir(), "askdb-web-types-"));
  try {
    const db = join(dataDir, "tiny.sqlite");
    new Database(db).exec("CREATE TABLE t (id INTEGER PRIMARY KEY)").close();
    const askdb = await createAskDb({ dataDir, db });
    try {
      const app = createHttpApp({
        askdb,
        logger: createLogger("silent"),
        bindHost: "127.0.0.1",
        token: "web-types-token",
        tokenEverywhere: false,
        webRoot: join(dataDir, "no-web-ui"),
        shutdown: new AbortController().signal,
      });
      const response = await app.request("/openapi.json", { headers: { host: "127.0.0.1" } });
      if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
      return (await response.json()) as OpenAPI3;
    } finally {
      await askdb.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The text of web/src/api/generated.ts, as it should be now. */
export async function generateWebTypes(): Promise<string> {
  // defaultNonNullable off: a field with a default is optional in a request body (the server fills it in).
  const nodes = await openapiTS(await openApiDocument(), { silent: true, defaultNonNullable: false });
  return HEADER + astToString(nodes);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(GENERATED_FILE, await generateWebTypes());
  console.log(`wrote ${GENERATED_FILE}`);
}
