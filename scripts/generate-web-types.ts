/**
 * Writes web/src/api/generated.ts: the TypeScript types of askdb's HTTP API, generated from the
 * OpenAPI document the server serves at /openapi.json (its shapes live in src/server/schemas/).
 *
 *   npm run gen:web-types
 *
 * Run it after changing a shape in src/server/schemas/; src/server/web-types.test.ts fails while
 * the committed file differs from what this script writes.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { openThrowawayApp } from "../src/server/testing/index.js";

export const GENERATED_FILE = fileURLToPath(new URL("../web/src/api/generated.ts", import.meta.url));

const HEADER = `/**
 * GENERATED FILE, DO NOT EDIT: the types of askdb's HTTP API, from the OpenAPI document at
 * /openapi.json (the zod schemas in src/server/schemas/). Regenerate with \`npm run gen:web-types\`;
 * src/server/web-types.test.ts fails while this file is stale. web/src/api/types.ts names them.
 */

`;

/** The document /openapi.json serves, from the real HTTP app on a throwaway data folder. */
async function openApiDocument(): Promise<OpenAPI3> {
  const throwaway = await openThrowawayApp();
  try {
    return (await throwaway.openApiDocument()) as OpenAPI3;
  } finally {
    await throwaway.close();
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
