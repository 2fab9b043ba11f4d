import { z } from "@hono/zod-openapi";

/** askdb's documentation pages: /docs/{page}. */

export const DocPageParam = z.object({
  page: z.string().openapi({ param: { name: "page", in: "path" }, example: "troubleshooting.md" }),
});
