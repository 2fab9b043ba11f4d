import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRoute } from "@hono/zod-openapi";
import { AskDbError } from "../../errors/index.js";
import type { ServerApp } from "../context.js";
import { DocPageParam, errors, textResponse } from "../schemas/index.js";

/** The package's `docs/` folder, whether running from src/ (tsx) or dist/ (built). */
const DOCS_ROOT = fileURLToPath(new URL("../../../docs", import.meta.url));
/** A page name, never a path: no slash, no dot-dot, only the folder's own markdown files. */
const PAGE_NAME = /^[a-z0-9-]+\.md$/;

const docPage = createRoute({
  method: "get",
  path: "/docs/{page}",
  tags: ["help"],
  summary: "A page of askdb's documentation (the web UI's help links), as markdown",
  request: { params: DocPageParam },
  responses: {
    200: textResponse("text/markdown", "the page"),
    ...errors(404),
  },
});

export function registerDocsRoutes(app: ServerApp): void {
  app.openapi(docPage, async (c) => {
    const { page } = c.req.valid("param");
    const text = await readDocPage(page);
    return c.body(text, 200, {
      "content-type": "text/markdown; charset=utf-8",
      "x-content-type-options": "nosniff",
    });
  });
}

async function readDocPage(page: string): Promise<string> {
  const missing = new AskDbError("NOT_FOUND", `no documentation page named "${page}"`, {
    hint: "the pages are the .md files of askdb's docs/ folder, e.g. /docs/troubleshooting.md",
  });
  if (!PAGE_NAME.test(page)) throw missing;
  try {
    return await readFile(join(DOCS_ROOT, page), "utf8");
  } catch {
    throw missing;
  }
}
