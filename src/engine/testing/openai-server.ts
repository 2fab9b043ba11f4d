/**
 * A test server speaking the OpenAI API: `/v1/chat/completions` and `/v1/completions` (SSE when
 * `stream: true`, one JSON body otherwise, with `usage`), `/v1/embeddings`, `/v1/models`, and an
 * optional Bearer API key. Replies are scripted. Reusable by any suite that needs an OpenAI peer.
 */
import type { ServerResponse } from "node:http";
import {
  hashEmbedding,
  pieces,
  scriptedReply,
  sendJson,
  startTestServer,
  streamPieces,
  type RecordedRequest,
  type ScriptOptions,
  type TestServer,
} from "./http-server.js";

export interface OpenAiTestServer extends TestServer {
  /** Base URL including /v1, as OpenAI clients take it. */
  readonly url: string;
}

export async function startOpenAiTestServer(
  options: ScriptOptions & { apiKey?: string; models?: string[] } = {},
): Promise<OpenAiTestServer> {
  const models = options.models ?? ["test-model"];
  const complete = (kind: "chat" | "text") => async (request: RecordedRequest, res: ServerResponse) => {
    const body = request.body ?? {};
    const reply = scriptedReply(body, options);
    const text = typeof reply === "string" ? reply : "";
    const toolCalls =
      typeof reply === "string"
        ? []
        : reply.toolCalls.map((call, index) => ({
            index,
            id: `call_${index}`,
            type: "function",
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          }));
    const finishReason = toolCalls.length > 0 ? "tool_calls" : "stop";
    const usage = {
      prompt_tokens: Math.ceil(JSON.stringify(body.messages ?? body.prompt ?? "").length / 4),
      completion_tokens: pieces(text).length + toolCalls.length,
    };
    const envelope = {
      id: "cmpl-test",
      object: kind === "chat" ? "chat.completion.chunk" : "text_completion",
      created: 0,
      model: body.model,
    };
    if (body.stream !== true) {
      const choice =
        kind === "chat"
          ? {
              index: 0,
              message: {
                role: "assistant",
                content: text,
                ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
              },
              finish_reason: finishReason,
            }
          : { index: 0, text, finish_reason: finishReason };
      return sendJson(res, 200, {
        ...envelope,
        object: kind === "chat" ? "chat.completion" : "text_completion",
        choices: [choice],
        usage,
      });
    }
    const event = (data: unknown) => `data: ${JSON.stringify(data)}\n\n`;
    const choice = (delta: Record<string, unknown>, finish: string | null) =>
      kind === "chat"
        ? { index: 0, delta, finish_reason: finish }
        : { index: 0, text: delta.content ?? "", finish_reason: finish };
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const events = [
      ...pieces(text).map((piece) => event({ ...envelope, choices: [choice({ content: piece }, null)] })),
      ...toolCalls.map((call) => event({ ...envelope, choices: [choice({ tool_calls: [call] }, null)] })),
      event({ ...envelope, choices: [choice({}, finishReason)] }),
      event({ ...envelope, choices: [], usage }),
    ];
    if (await streamPieces(res, events, options.pieceDelayMs)) res.end("data: [DONE]\n\n");
  };
  const server = await startTestServer(
    {
      "POST /v1/chat/completions": complete("chat"),
      "POST /v1/completions": complete("text"),
      "POST /v1/embeddings": (request, res) => {
        const body = request.body ?? {};
        const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
        sendJson(res, 200, {
          object: "list",
          model: body.model,
          data: inputs.map((text, index) => ({
            object: "embedding",
            index,
            embedding: hashEmbedding(text, options.dimensions ?? 8),
          })),
          usage: { prompt_tokens: inputs.join(" ").length, total_tokens: inputs.join(" ").length },
        });
      },
      "GET /v1/models": (_, res) =>
        sendJson(res, 200, {
          object: "list",
          data: models.map((id) => ({ id, object: "model", created: 0, owned_by: "askdb-test" })),
        }),
    },
    { apiKey: options.apiKey },
  );
  return Object.assign(server, { url: `${server.origin}/v1` });
}
