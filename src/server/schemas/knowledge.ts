import { z } from "@hono/zod-openapi";
import type { KnowledgeItem, Page } from "../../app/index.js";
import type { Exact } from "./exact.js";
import { PageQuery } from "./common.js";

/** Training data: /train, /api/knowledge. */

export const KNOWLEDGE_KINDS = ["ddl", "documentation", "question_sql"] as const;
const MAX_CONTENT = 5_000_000;

export const KnowledgeItemSchema = z
  .object({
    id: z.string(),
    dbId: z.string(),
    kind: z.enum(KNOWLEDGE_KINDS),
    content: z
      .string()
      .openapi({ description: "DDL, documentation text, or the SQL of a question/SQL pair" }),
    question: z.string().optional(),
    title: z
      .string()
      .optional()
      .openapi({ description: "heading of a documentation chunk, table of a DDL item" }),
    source: z.enum(["schema", "training-dir", "user", "feedback", "api"]),
    createdAt: z.string(),
  })
  .openapi("KnowledgeItem");

export const KnowledgePageSchema = z
  .object({ items: z.array(KnowledgeItemSchema), total: z.int() })
  .openapi("KnowledgePage");

export const KnowledgeQuerySchema = PageQuery.extend({
  kind: z.enum(KNOWLEDGE_KINDS).optional(),
  q: z.string().max(500).optional(),
});

export const TrainRequestSchema = z
  .object({
    training_type: z.enum(KNOWLEDGE_KINDS),
    content: z.string().trim().min(1, "content is empty").max(MAX_CONTENT),
    question: z.string().trim().min(1).max(4000).optional(),
  })
  .openapi("TrainRequest");

export const TrainedSchema = z
  .object({ id: z.string(), training_type: z.enum(KNOWLEDGE_KINDS) })
  .openapi("Trained");

export const KnowledgeRequestSchema = z
  .object({
    kind: z.enum(KNOWLEDGE_KINDS),
    content: z.string().trim().min(1, "content is empty").max(MAX_CONTENT),
    question: z.string().trim().min(1).max(4000).optional(),
  })
  .openapi("KnowledgeRequest");

// The schemas above are the domain types, exactly (see exact.ts).
const _item: Exact<z.output<typeof KnowledgeItemSchema>, KnowledgeItem> = true;
const _page: Exact<z.output<typeof KnowledgePageSchema>, Page<KnowledgeItem>> = true;
