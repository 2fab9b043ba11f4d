import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { streamSSE } from "hono/streaming";
import { AskDbError } from "../../errors/index.js";
import type { ChatMessage, GenerationResult, ToolCall, ToolDefinition } from "../../engine/types.js";
import type { RouteContext, ServerApp } from "../context.js";
import { errors, jsonBody, jsonResponse } from "../schemas.js";
import { requestSignal, streamAbortSignal } from "../sse.js";

const TextPart = z.object({ type: z.literal("text"), text: z.string() });
const MessageContent = z.union([z.string(), z.array(TextPart), z.null()]);

const ToolCallSchema = z.object({
  id: z.string(),
  type: z.literal("function").default("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const Message = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: MessageContent.optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});

const Tool = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1).max(64),
    description: z.string().max(4000).default(""),
    parameters: z.record(z.string(), z.unknown()).default({ type: "object", properties: {} }),
  }),
});

const ChatCompletionRequest = z
  .looseObject({
    model: z.string().max(200).optional(),
    messages: z.array(Message).min(1).max(500),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.int().min(1).max(32_768).optional(),
    max_completion_tokens: z.int().min(1).max(32_768).optional(),
    stop: z.union([z.string(), z.array(z.string()).max(8)]).optional(),
    seed: z.int().optional(),
    stream: z.boolean().optional(),
    tools: z.array(Tool).max(64).optional(),
    tool_choice: z
      .union([z.enum(["none", "auto", "required"]), z.looseObject({ type: z.literal("function") })])
      .optional(),
  })
  .openapi("ChatCompletionRequest");

const ChatCompletion = z
  .looseObject({
    id: z.string(),
    object: z.literal("chat.completion"),
    created: z.int(),
    model: z.string(),
    choices: z.array(
      z.object({
        index: z.int(),
        message: z.object({
          role: z.literal("assistant"),
          content: z.string().nullable(),
          tool_calls: z.array(ToolCallSchema).optional(),
        }),
        finish_reason: z.enum(["stop", "length", "tool_calls"]),
      }),
    ),
    usage: z.object({ prompt_tokens: z.int(), completion_tokens: z.int(), total_tokens: z.int() }),
  })
  .openapi("ChatCompletion");

const EmbeddingRequest = z
  .looseObject({
    model: z.string().max(200).optional(),
    input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(256)]),
    encoding_format: z
      .enum(["float", "base64"])
      .optional()
      .openapi({ description: "base64: little-endian float32, as the official clients ask for" }),
  })
  .openapi("EmbeddingRequest");

const EmbeddingResponse = z
  .object({
    object: z.literal("list"),
    data: z.array(
      z.object({
        object: z.literal("embedding"),
        index: z.int(),
        embedding: z.union([z.array(z.number()), z.string()]),
      }),
    ),
    model: z.string(),
    usage: z.object({ prompt_tokens: z.int(), total_tokens: z.int() }),
  })
  .openapi("EmbeddingResponse");

const ModelList = z
  .object({
    object: z.literal("list"),
    data: z.array(
      z.object({ id: z.string(), object: z.literal("model"), created: z.int(), owned_by: z.string() }),
    ),
  })
  .openapi("OpenAiModelList");

const listModels = createRoute({
  method: "get",
  path: "/v1/models",
  tags: ["openai"],
  summary: "The installed language models (the active one answers, whatever `model` a request names)",
  responses: { 200: jsonResponse(ModelList, "the models") },
});

const chatCompletions = createRoute({
  method: "post",
  path: "/v1/chat/completions",
  tags: ["openai"],
  summary:
    "OpenAI-compatible chat completion on the active model (streamed with stream: true; tools supported)",
  request: { body: jsonBody(ChatCompletionRequest) },
  responses: {
    200: {
      description: "a chat.completion, or chat.completion.chunk events ending in [DONE] when streamed",
      content: {
        "application/json": { schema: ChatCompletion },
        "text/event-stream": { schema: z.string() },
      },
    },
    ...errors(400, 422, 499, 503),
  },
});

const embeddings = createRoute({
  method: "post",
  path: "/v1/embeddings",
  tags: ["openai"],
  summary: "OpenAI-compatible embeddings from the active model",
  request: { body: jsonBody(EmbeddingRequest) },
  responses: { 200: jsonResponse(EmbeddingResponse, "one vector per input"), ...errors(400, 422, 503) },
});

type ChatRequest = z.output<typeof ChatCompletionRequest>;

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

function toChatMessages(body: ChatRequest): ChatMessage[] {
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

function textOf(content: z.output<typeof MessageContent> | undefined): string {
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

function toToolDefinition(tool: z.output<typeof Tool>): ToolDefinition {
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
