import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import type { AskDb, AskOptions } from "../../app/index.js";
import { AskDbError } from "../../errors/index.js";
import {
  contextPolicyOf,
  contextSearchText,
  preparePageContext,
  type PageContext,
} from "../../extension/index.js";
import type { RouteContext, ServerApp } from "../context.js";
import { toHttpError } from "../errors.js";
import { errors, jsonBody, jsonResponse } from "../schemas.js";
import { requestSignal, streamAbortSignal } from "../sse.js";

const CellSchema = z.union([
  z.null(),
  z.number(),
  z.string(),
  z.object({ $blob: z.int(), base64Preview: z.string() }),
]);

const ColumnSchema = z.object({ name: z.string(), type: z.string() });

const ChartSchema = z
  .object({
    type: z.enum(["bar", "line", "pie", "scatter", "none"]),
    x: z.string().optional(),
    y: z.array(z.string()).optional(),
    series: z.string().optional(),
    reason: z.string(),
  })
  .openapi("Chart");

const QueryResultFields = {
  columns: z.array(ColumnSchema),
  rows: z.array(z.array(CellSchema)),
  rowCount: z.int(),
  truncated: z.boolean().openapi({ description: "true when rows were cut by the row or size limit" }),
  chart: ChartSchema,
};

export const SqlRunSchema = z
  .object({
    ...QueryResultFields,
    truncatedBy: z.enum(["maxRows", "maxResultBytes"]).optional(),
    elapsedMs: z.number(),
  })
  .openapi("SqlResult");

export const AttemptSchema = z.object({
  kind: z.enum(["generate", "repair"]),
  sql: z.string(),
  error: z.string().optional(),
  errorCode: z.string().optional(),
  generationMs: z.number(),
  promptTokens: z.number().optional(),
  reusedPromptTokens: z.number().optional(),
  generatedTokens: z.number().optional(),
});

export const TimingsSchema = z.object({
  retrievalMs: z.number(),
  generationMs: z.number(),
  executionMs: z.number(),
  totalMs: z.number(),
});

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
    source: z.enum(["model", "example", "cache"]),
    attempts: z.array(AttemptSchema),
    model: z.string().optional(),
    timings: TimingsSchema,
    conversationId: z.string().optional(),
    matchedQuestion: z
      .string()
      .optional()
      .openapi({ description: "the trained question whose SQL was reused (source example)" }),
  })
  .openapi("Answer");

const PageContextSchema = z
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

const QueryRequest = z
  .object({
    question: z.string().trim().min(1, "ask a question").max(4000),
    conversationId: z.string().min(1).max(100).optional(),
    pageContext: PageContextSchema.optional(),
  })
  .openapi("QueryRequest");

const SqlRequest = z
  .object({
    sql: z.string().trim().min(1, "give the SQL to run").max(100_000),
    limit: z.int().min(1).max(1_000_000).optional(),
  })
  .openapi("SqlRequest");

const query = createRoute({
  method: "post",
  path: "/query",
  tags: ["desktop app"],
  summary: "Ask a question in plain language; with Accept: text/event-stream, progress is streamed",
  description:
    "SSE events: retrieving {} → generating {token} (repeated) → executing {} → answer (the Answer) or error {error}. " +
    "Closing the connection cancels the question.",
  request: { body: jsonBody(QueryRequest) },
  responses: {
    200: {
      description: "the answer (JSON), or the event stream",
      content: { "application/json": { schema: AnswerSchema }, "text/event-stream": { schema: z.string() } },
    },
    ...errors(400, 403, 422, 499, 503),
  },
});

const runSql = createRoute({
  method: "post",
  path: "/sql",
  tags: ["query"],
  summary: "Run user-edited SQL through the read-only guard",
  request: { body: jsonBody(SqlRequest) },
  responses: { 200: jsonResponse(SqlRunSchema, "the rows"), ...errors(400, 422) },
});

export function registerQueryRoutes(app: ServerApp, context: RouteContext): void {
  const { askdb } = context;
  app.openapi(query, async (c) => {
    const { question, pageContext, ...rest } = c.req.valid("json");
    const options = { ...rest, context: pageContext && receivePageContext(c, askdb, pageContext) };
    if (wantsEventStream(c)) return streamAnswer(c, context, question, options) as never;
    const answer = await askdb.ask(question, { ...options, signal: requestSignal(c) });
    return c.json(answer, 200);
  });

  app.openapi(runSql, async (c) => {
    const { sql, limit } = c.req.valid("json");
    return c.json(await askdb.runSql(sql, { limit, signal: requestSignal(c) }), 200);
  });
}

/** Applies the privacy settings, keeps the result by the retention setting, and returns what value lookup searches. */
function receivePageContext(c: Context, askdb: AskDb, page: PageContext): string {
  if (!askdb.extensions.enabled()) {
    throw new AskDbError(
      "FORBIDDEN",
      "page context is only taken with the browser extension integration on",
      {
        hint: "turn it on with `askdb flags enable browser_extension`, or ask without pageContext",
      },
    );
  }
  const prepared = preparePageContext(page, contextPolicyOf(askdb.settings));
  askdb.pageContexts.save(prepared, c.get("extensionConnection")?.id);
  return contextSearchText(prepared);
}

function wantsEventStream(c: Context): boolean {
  return (c.req.header("accept") ?? "").includes("text/event-stream");
}

function streamAnswer(
  c: Context,
  { askdb, logger, shutdown }: RouteContext,
  question: string,
  options: AskOptions,
): Response {
  return streamSSE(c, async (stream) => {
    const signal = AbortSignal.any([streamAbortSignal(c, stream), shutdown]);
    // Events are written in order even though the pipeline reports them synchronously.
    let written = Promise.resolve();
    const send = (event: string, data: unknown) => {
      written = written.then(() =>
        stream.aborted ? undefined : stream.writeSSE({ event, data: JSON.stringify(data) }),
      );
      return written;
    };
    try {
      const answer = await askdb.ask(question, {
        ...options,
        signal,
        // The answer itself is sent last, below, whichever path produced it.
        onEvent: ({ stage, token }) =>
          void (stage === "answer" ? undefined : send(stage, token === undefined ? {} : { token })),
      });
      await send("answer", answer);
    } catch (error) {
      await send("error", toHttpError(error, logger).toJSON());
    }
  });
}
