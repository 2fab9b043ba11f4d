import { z } from "@hono/zod-openapi";
import type { Answer, SqlRun } from "../../app/index.js";
import type { PageContext } from "../../extension/index.js";
import type { Attempt, ChartSpec, ResultColumn, SqlValue } from "../../sql/index.js";
import type { Exact } from "./exact.js";

/** Questions, their answers and user-run SQL: POST /query, POST /sql. */

export const BlobCellSchema = z
  .object({
    $blob: z.int().openapi({ description: "the blob's size in bytes" }),
    base64Preview: z.string().openapi({ description: "its first bytes, base64" }),
  })
  .openapi("BlobCell");

export const CellSchema = z.union([z.null(), z.number(), z.string(), BlobCellSchema]).openapi("Cell", {
  description: "null, a number, text (also an integer too large for a JS number, as decimal text), or a blob",
});

export const ResultColumnSchema = z
  .object({
    name: z.string(),
    type: z.string().openapi({
      description:
        'declared type of the source column, else the storage class of the first non-null value, else ""',
    }),
  })
  .openapi("ResultColumn");

export const CHART_TYPES = ["bar", "line", "pie", "scatter", "none"] as const;

export const ChartSpecSchema = z
  .object({
    type: z.enum(CHART_TYPES),
    x: z.string().optional().openapi({ description: "column on the x axis (or the pie's labels)" }),
    y: z
      .array(z.string())
      .optional()
      .openapi({ description: "numeric columns plotted (the pie's values when type is pie)" }),
    series: z
      .string()
      .optional()
      .openapi({ description: "column whose values split the data into one series each" }),
    reason: z.string().openapi({ description: "why this chart (or none) was chosen, in a few words" }),
  })
  .openapi("ChartSpec", { description: "a declarative chart: which columns go where; rendered by the UI" });

const QueryResultFields = {
  columns: z.array(ResultColumnSchema),
  rows: z.array(z.array(CellSchema)),
  rowCount: z.int(),
  truncated: z.boolean().openapi({ description: "true when rows were cut by the row or size limit" }),
  chart: ChartSpecSchema,
};

export const SqlResultSchema = z
  .object({
    ...QueryResultFields,
    truncatedBy: z.enum(["maxRows", "maxResultBytes"]).optional(),
    elapsedMs: z.number(),
  })
  .openapi("SqlResult");

export const AttemptSchema = z
  .object({
    kind: z.enum(["generate", "sample", "repair"]),
    sql: z.string(),
    error: z.string().optional(),
    errorCode: z.string().optional(),
    generationMs: z.number(),
    promptTokens: z.number().optional(),
    reusedPromptTokens: z.number().optional(),
    generatedTokens: z.number().optional(),
  })
  .openapi("Attempt");

export const AnswerTimingsSchema = z
  .object({
    retrievalMs: z.number(),
    generationMs: z.number(),
    executionMs: z.number(),
    totalMs: z.number(),
  })
  .openapi("AnswerTimings");

export const ANSWER_SOURCES = ["model", "example", "cache"] as const;

export const AnswerSchema = z
  .object({
    id: z.string().openapi({ description: "history id; send it to /api/feedback" }),
    question: z.string(),
    standaloneQuestion: z
      .string()
      .optional()
      .openapi({ description: "a follow-up rewritten into a standalone question" }),
    sql: z.string(),
    ...QueryResultFields,
    source: z.enum(ANSWER_SOURCES),
    attempts: z.array(AttemptSchema),
    model: z.string().optional(),
    timings: AnswerTimingsSchema,
    conversationId: z.string().optional(),
    matchedQuestion: z
      .string()
      .optional()
      .openapi({ description: "the trained question whose SQL was reused (source example)" }),
  })
  .openapi("Answer");

export const PageContextSchema = z
  .object({
    url: z.string().max(4000),
    title: z.string().max(2000).default(""),
    selection: z.string().max(200_000).default(""),
    text: z.string().max(500_000).default(""),
    contentType: z.string().max(200).default("text/html"),
    automatic: z
      .boolean()
      .default(false)
      .openapi({ description: "sent without the person choosing 'use this page' for this question" }),
  })
  .openapi("PageContext", {
    description:
      "From the browser extension (flag browser_extension). Untrusted: filtered by the extension.* privacy settings, " +
      "redacted, and only searched for database values, never put in the model's instructions.",
  });

export const QueryRequestSchema = z
  .object({
    question: z.string().trim().min(1, "ask a question").max(4000),
    conversationId: z.string().min(1).max(100).optional(),
    pageContext: PageContextSchema.optional(),
  })
  .openapi("QueryRequest");

export const SqlRequestSchema = z
  .object({
    sql: z.string().trim().min(1, "give the SQL to run").max(100_000),
    limit: z.int().min(1).max(1_000_000).optional(),
  })
  .openapi("SqlRequest");

// The schemas above are the domain types, exactly (see exact.ts).
const _cell: Exact<z.output<typeof CellSchema>, SqlValue> = true;
const _column: Exact<z.output<typeof ResultColumnSchema>, ResultColumn> = true;
const _chart: Exact<z.output<typeof ChartSpecSchema>, ChartSpec> = true;
const _sqlResult: Exact<z.output<typeof SqlResultSchema>, SqlRun> = true;
const _attempt: Exact<z.output<typeof AttemptSchema>, Attempt> = true;
const _timings: Exact<z.output<typeof AnswerTimingsSchema>, Answer["timings"]> = true;
const _answer: Exact<z.output<typeof AnswerSchema>, Answer> = true;
const _pageContext: Exact<z.output<typeof PageContextSchema>, PageContext> = true;
