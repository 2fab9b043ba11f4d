import { createRoute } from "@hono/zod-openapi";
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
import {
  AnswerSchema,
  errors,
  jsonBody,
  jsonOrEventStream,
  jsonResponse,
  QueryRequestSchema,
  SqlRequestSchema,
  SqlResultSchema,
} from "../schemas/index.js";
import { requestSignal, streamAbortSignal } from "../sse.js";

const query = createRoute({
  method: "post",
  path: "/query",
  tags: ["desktop app"],
  summary: "Ask a question in plain language; with Accept: text/event-stream, progress is streamed",
  description:
    "SSE events: retrieving {} → generating {token} (repeated) → executing {} → answer (the Answer) or error {error}. " +
    "Closing the connection cancels the question.",
  request: { body: jsonBody(QueryRequestSchema) },
  responses: {
    200: jsonOrEventStream(AnswerSchema, "the answer (JSON), or the event stream"),
    ...errors(400, 403, 422, 499, 503),
  },
});

const runSql = createRoute({
  method: "post",
  path: "/sql",
  tags: ["query"],
  summary: "Run user-edited SQL through the read-only guard",
  request: { body: jsonBody(SqlRequestSchema) },
  responses: { 200: jsonResponse(SqlResultSchema, "the rows"), ...errors(400, 422) },
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
