import { createRoute } from "@hono/zod-openapi";
import type { RouteContext, ServerApp } from "../context.js";
import { privileged } from "../security/index.js";
import {
  DatabaseListSchema,
  DatabaseSchema,
  errors,
  jsonBody,
  jsonResponse,
  SchemaResponseSchema,
  SwitchDatabaseRequestSchema,
} from "../schemas/index.js";

const listDatabases = createRoute({
  method: "get",
  path: "/api/databases",
  tags: ["databases"],
  summary: "The database questions go to, and the others askdb has been pointed at",
  responses: {
    200: jsonResponse(DatabaseListSchema, "the databases"),
  },
});

const switchDatabase = createRoute({
  method: "post",
  path: "/api/databases/switch",
  tags: ["databases"],
  summary: "Ask about another SQLite file from now on (opened read-only; its schema is trained on first use)",
  description:
    "Needs the server's token. The file must be the database askdb started with, the demo, or in `databases.allowed`; " +
    "askdb's own data folder never is. A refused path gets the same 403 whether it exists or not.",
  middleware: privileged("switching the database"),
  request: {
    body: jsonBody(SwitchDatabaseRequestSchema),
  },
  responses: {
    200: jsonResponse(DatabaseSchema, "the database now in use"),
    ...errors(400, 401, 403, 404, 422),
  },
});

const schema = createRoute({
  method: "get",
  path: "/api/schema",
  tags: ["databases"],
  summary: "Tables, views and columns of the current database",
  responses: {
    200: jsonResponse(SchemaResponseSchema, "the schema"),
  },
});

export function registerDatabaseRoutes(app: ServerApp, { askdb }: RouteContext): void {
  app.openapi(listDatabases, (c) => c.json({ current: askdb.database(), databases: askdb.databases() }, 200));
  app.openapi(switchDatabase, async (c) =>
    c.json(await askdb.switchDatabase(c.req.valid("json").path, { onlyConnected: true }), 200),
  );
  app.openapi(schema, async (c) => {
    const { fingerprint, tables } = await askdb.schema();
    return c.json(
      {
        fingerprint,
        tables: tables.map((t) => ({
          name: t.name,
          kind: t.kind,
          rowCount: t.rowCount,
          columns: t.columns.map((col) => ({
            name: col.name,
            type: col.type,
            notNull: col.notNull,
            primaryKey: col.primaryKey,
          })),
        })),
      },
      200,
    );
  });
}
