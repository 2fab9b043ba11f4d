import { createRoute } from "@hono/zod-openapi";
import { AskDbError } from "../../errors/index.js";
import type { KnowledgeKind, NewKnowledge } from "../../app/index.js";
import type { RouteContext, ServerApp } from "../context.js";
import {
  DeletedSchema,
  errors,
  IdParam,
  jsonBody,
  jsonResponse,
  KnowledgeItemSchema,
  KnowledgePageSchema,
  KnowledgeQuerySchema,
  KnowledgeRequestSchema,
  TrainedSchema,
  TrainRequestSchema,
} from "../schemas/index.js";

const train = createRoute({
  method: "post",
  path: "/train",
  tags: ["desktop app"],
  summary:
    "Add training data: DDL, documentation, or a question/SQL pair (its SQL is checked by the guard first)",
  request: { body: jsonBody(TrainRequestSchema) },
  responses: {
    201: jsonResponse(TrainedSchema, "stored"),
    ...errors(400, 413, 422),
  },
});

const listKnowledge = createRoute({
  method: "get",
  path: "/api/knowledge",
  tags: ["knowledge"],
  summary: "List or search the current database's training data",
  request: { query: KnowledgeQuerySchema },
  responses: {
    200: jsonResponse(KnowledgePageSchema, "a page of items"),
    ...errors(400),
  },
});

const addKnowledge = createRoute({
  method: "post",
  path: "/api/knowledge",
  tags: ["knowledge"],
  summary: "Add a training item",
  request: { body: jsonBody(KnowledgeRequestSchema) },
  responses: { 201: jsonResponse(KnowledgeItemSchema, "stored"), ...errors(400, 413, 422) },
});

const deleteKnowledge = createRoute({
  method: "delete",
  path: "/api/knowledge/{id}",
  tags: ["knowledge"],
  summary: "Remove a training item",
  request: { params: IdParam },
  responses: { 200: jsonResponse(DeletedSchema, "removed"), ...errors(400, 404) },
});

export function registerKnowledgeRoutes(app: ServerApp, { askdb }: RouteContext): void {
  app.openapi(train, async (c) => {
    const body = c.req.valid("json");
    const item = await askdb.train(trainInput(body.training_type, body.content, body.question));
    return c.json({ id: item.id, training_type: item.kind }, 201);
  });

  app.openapi(listKnowledge, async (c) => c.json(await askdb.knowledge(c.req.valid("query")), 200));

  app.openapi(addKnowledge, async (c) => {
    const body = c.req.valid("json");
    return c.json(await askdb.train(trainInput(body.kind, body.content, body.question)), 201);
  });

  app.openapi(deleteKnowledge, async (c) => {
    const { id } = c.req.valid("param");
    await askdb.removeKnowledge(id);
    return c.json({ deleted: id }, 200);
  });
}

function trainInput(kind: KnowledgeKind, content: string, question: string | undefined): NewKnowledge {
  if (kind !== "question_sql") return { kind, content };
  if (!question) {
    throw new AskDbError("INVALID_INPUT", "a question_sql item needs its question", {
      hint: 'send {"training_type": "question_sql", "question": "…", "content": "SELECT …"}',
    });
  }
  return { kind, question, sql: content };
}
