import { createRoute } from "@hono/zod-openapi";
import type { RouteContext, ServerApp } from "../context.js";
import { assertMayPull } from "../security/index.js";
import {
  ActivatedSchema,
  DeletedSchema,
  DownloadStartedSchema,
  errors,
  IdParam,
  jsonBody,
  jsonResponse,
  ModelListSchema,
  PullRequestSchema,
  startedBody,
} from "../schemas/index.js";

const listModels = createRoute({
  method: "get",
  path: "/api/models",
  tags: ["models"],
  summary: "The catalog and the installed models, with whether each fits in this machine's memory",
  responses: { 200: jsonResponse(ModelListSchema, "the models") },
});

const pullModel = createRoute({
  method: "post",
  path: "/api/models/pull",
  tags: ["models"],
  summary: "Queue a download (catalog id, hf:owner/repo/file.gguf, or https URL)",
  description: "A URL needs the server's token, and https (plain http only from this machine).",
  request: {
    body: jsonBody(PullRequestSchema),
  },
  responses: {
    202: jsonResponse(DownloadStartedSchema, "the queued download (status completed when already installed)"),
    ...errors(400, 401, 404, 409, 422),
  },
});

const deleteModel = createRoute({
  method: "delete",
  path: "/api/models/{id}",
  tags: ["models"],
  summary: "Delete an installed model (a file registered in place is only forgotten, never deleted)",
  request: { params: IdParam },
  responses: { 200: jsonResponse(DeletedSchema, "deleted"), ...errors(400, 404, 409) },
});

const activateModel = createRoute({
  method: "post",
  path: "/api/models/{id}/activate",
  tags: ["models"],
  summary:
    "Make an installed model (or ollama:<name>) the one that answers; a local model loads on the next question",
  request: { params: IdParam },
  responses: { 200: jsonResponse(ActivatedSchema, "activated"), ...errors(400, 404, 422) },
});

export function registerModelRoutes(app: ServerApp, { askdb }: RouteContext): void {
  app.openapi(listModels, async (c) => c.json(await askdb.listModels(), 200));

  app.openapi(pullModel, async (c) => {
    const { modelId } = c.req.valid("json");
    assertMayPull(c, modelId);
    return c.json(startedBody(await askdb.pullModel(modelId)), 202);
  });

  app.openapi(deleteModel, async (c) => {
    const { id } = c.req.valid("param");
    await askdb.removeModel(id);
    return c.json({ deleted: id }, 200);
  });

  app.openapi(activateModel, async (c) => {
    const { id } = c.req.valid("param");
    askdb.activateModel(id);
    return c.json({ active: id }, 200);
  });
}
