import { createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { AskDbError } from "../../errors/index.js";
import type { ChatMessage, GenerationResult, ToolCall, ToolDefinition } from "../../engine/index.js";
import type { RouteContext, ServerApp } from "../context.js";
import {
  ChatCompletionRequestSchema,
  ChatCompletionSchema,
  EmbeddingRequestSchema,
  EmbeddingResponseSchema,
  errors,
  jsonBody,
  jsonOrEventStream,
  jsonResponse,
  OpenAiModelListSchema,
  type ChatCompletionRequest,
  type MessageContent,
  type OpenAiTool,
} from "../schemas/index.js";
import { requestSignal, streamAbortSignal } from "../sse.js";

const listModels = createRoute({
  method: "get",
  path: "/v1/models",
  tags: ["openai"],
  summary: "The installed language models (the active one answers, whatever `model` a request names)",
  responses: { 200: jsonResponse(OpenAiModelListSchema, "the models") },
});

const chatCompletions = createRoute({
  method: "post",
  path: "/v1/chat/completions",
  tags: ["openai"],
  summary:
    "OpenAI-compatible chat completion on the active model (streamed with stream: true; tools supported)",
  request: { body: jsonBody(ChatCompletionRequestSchema) },
  responses: {
    200: jsonOrEventStream(
      ChatCompletionSchema,
      "a chat.completion, or chat.completion.chunk events ending in [DONE] when streamed",
    ),
    ...errors(400, 422, 499, 503),
  },
});

const embeddings = createRoute({
  method: "post",
  path: "/v1/embeddings",
  tags: ["openai"],
  summary: "OpenAI-compatible embeddings from the active model",
  request: { body: jsonBody(EmbeddingRequestSchema) },
  responses: { 200: jsonResponse(EmbeddingResponseSchema, "one vector per input"), ...errors(400, 422, 503) },
});

export function registerV1Routes(app: ServerApp, { askdb }: RouteContext): void {
  app.openapi(listModels, async (c) => {
    const names = await askdb.engineModels();
    return c.json(
      {
        object: "list" as const,
        data: names.map((id) => ({ id, object: "model" as const, created: 0, owned_by: "askdb" })),
      },
      200,
    );
  });

  app.openapi(chatCompletions, async (c) => {
    const body = c.req.valid("json");
    const messages = toChatMessages(body);
    const tools = body.tool_choice === "none" ? undefined : body.tools?.map(toToolDefinition);
    const options = {
      temperature: body.temperature,
      maxTokens: body.max_completion_tokens ?? body.max_tokens,
      stop: typeof body.stop === "string" ? [body.stop] : body.stop,
      seed: body.seed,
      tools: tools?.length ? tools : undefined,
    };
    if (body.stream) {
      // Loads the model first, so that "no model" or "does not fit" is an HTTP error, not a broken stream.
      await askdb.engine.contextSize();
      return streamChat(c, askdb.engine, messages, options) as never;
    }
    const result = await askdb.engine.chat(messages, { ...options, signal: requestSignal(c) });
    return c.json(toChatCompletion(result), 200);
  });

  app.openapi(embeddings, async (c) => {
    const body = c.req.valid("json");
    const inputs = typeof body.input === "string" ? [body.input] : body.input;
    const result = await askdb.engine.embed(inputs, { signal: requestSignal(c) });
    const tokens = await countAll(askdb.engine, inputs);
    return c.json(
      {
        object: "list" as const,
        data: result.vectors.map((vector, index) => ({
          object: "embedding" as const,
          index,
          embedding: body.encoding_format === "base64" ? toBase64Floats(vector) : vector,
        })),
        model: result.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      },
      200,
    );
  });
}

function streamChat(
  c: Context,
  engine: RouteContext["askdb"]["engine"],
  messages: ChatMessage[],
  options: Parameters<RouteContext["askdb"]["engine"]["chat"]>[1],
): Response {
  const id = completionId();
  const created = nowSeconds();
  return streamSSE(c, async (stream) => {
    const signal = streamAbortSignal(c, stream);
    // The model is loaded before the stream starts (see the caller), so the engine can name it.
    const chunk = (
      delta: Record<string, unknown>,
      finish: string | null,
      model = engine.status().model ?? "",
    ) =>
      stream.writeSSE({
        data: JSON.stringify({
          id,
          object: "chat.completion.chunk",
          created,
          model,
          choices: [{ index: 0, delta, finish_reason: finish }],
        }),
      });
    // With tools the local model answers in a JSON protocol: stream only the parsed outcome.
    const streamTokens = !options?.tools;
    let pending = Promise.resolve();
    try {
      await chunk({ role: "assistant", content: "" }, null);
      const result = await engine.chat(messages, {
        ...options,
        signal,
        onToken: streamTokens
          ? (text) => void (pending = pending.then(() => chunk({ content: text }, null)))
          : undefined,
      });
      await pending;
      if (!streamTokens && result.text) await chunk({ content: result.text }, null);
      if (result.toolCalls?.length)
        await chunk(
          { tool_calls: result.toolCalls.map((call, index) => ({ index, ...toOpenAiToolCall(call) })) },
          null,
        );
      await chunk({}, finishReason(result), result.model);
      await stream.writeSSE({ data: "[DONE]" });
    } catch (error) {
      const typed =
        error instanceof AskDbError ? error : new AskDbError("INTERNAL", "the model failed while answering");
      if (!signal.aborted) await stream.writeSSE({ data: JSON.stringify(typed.toJSON()) });
    }
  });
}

function toChatMessages(body: ChatCompletionRequest): ChatMessage[] {
  return body.messages.map((message) => ({
    role: message.role === "developer" ? "system" : message.role,
    content: textOf(message.content),
    toolCalls: message.tool_calls?.map((call) => ({
      id: call.id,
      name: call.function.name,
      arguments: parseArguments(call.function.arguments),
    })),
    toolCallId: message.tool_call_id,
  }));
}

function textOf(content: MessageContent | undefined): string {
  if (content === null || content === undefined) return "";
  if (typeof content === "string") return content;
  return content.map((part) => part.text).join("");
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw new AskDbError(
    "INVALID_INPUT",
    `tool call arguments must be a JSON object, got: ${text.slice(0, 80)}`,
  );
}

function toToolDefinition(tool: OpenAiTool): ToolDefinition {
  return {
    name: tool.function.name,
    description: tool.function.description,
    parameters: tool.function.parameters,
  };
}

function toOpenAiToolCall(call: ToolCall) {
  return {
    id: call.id,
    type: "function" as const,
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  };
}

function finishReason(result: GenerationResult): "stop" | "length" | "tool_calls" {
  if (result.toolCalls?.length) return "tool_calls";
  return result.stopReason === "maxTokens" ? "length" : "stop";
}

function toChatCompletion(result: GenerationResult) {
  const toolCalls = result.toolCalls?.length ? result.toolCalls.map(toOpenAiToolCall) : undefined;
  return {
    id: completionId(),
    object: "chat.completion" as const,
    created: nowSeconds(),
    model: result.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant" as const,
          content: toolCalls ? result.text || null : result.text,
          ...(toolCalls ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finishReason(result),
      },
    ],
    usage: {
      prompt_tokens: result.promptTokens,
      completion_tokens: result.generatedTokens,
      total_tokens: result.promptTokens + result.generatedTokens,
    },
  };
}

async function countAll(engine: RouteContext["askdb"]["engine"], texts: string[]): Promise<number> {
  let total = 0;
  for (const text of texts) total += await engine.countTokens(text);
  return total;
}

function toBase64Floats(vector: number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString("base64");
}

function completionId(): string {
  return `chatcmpl-${crypto.randomUUID().replace(/-/g, "")}`;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
