import { z } from "@hono/zod-openapi";

/** The OpenAI-compatible API: /v1/models, /v1/chat/completions, /v1/embeddings (OpenAI's shapes). */

const TextPart = z.object({ type: z.literal("text"), text: z.string() });
export const MessageContentSchema = z.union([z.string(), z.array(TextPart), z.null()]);

const ToolCallSchema = z.object({
  id: z.string(),
  type: z.literal("function").default("function"),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

const MessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content: MessageContentSchema.optional(),
  tool_calls: z.array(ToolCallSchema).optional(),
  tool_call_id: z.string().optional(),
});

export const ToolSchema = z.object({
  type: z.literal("function"),
  function: z.object({
    name: z.string().min(1).max(64),
    description: z.string().max(4000).default(""),
    parameters: z.record(z.string(), z.unknown()).default({ type: "object", properties: {} }),
  }),
});

export const ChatCompletionRequestSchema = z
  .looseObject({
    model: z.string().max(200).optional(),
    messages: z.array(MessageSchema).min(1).max(500),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: z.int().min(1).max(32_768).optional(),
    max_completion_tokens: z.int().min(1).max(32_768).optional(),
    stop: z.union([z.string(), z.array(z.string()).max(8)]).optional(),
    seed: z.int().optional(),
    stream: z.boolean().optional(),
    tools: z.array(ToolSchema).max(64).optional(),
    tool_choice: z
      .union([z.enum(["none", "auto", "required"]), z.looseObject({ type: z.literal("function") })])
      .optional(),
  })
  .openapi("ChatCompletionRequest");

export const ChatCompletionSchema = z
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

export const EmbeddingRequestSchema = z
  .looseObject({
    model: z.string().max(200).optional(),
    input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(256)]),
    encoding_format: z
      .enum(["float", "base64"])
      .optional()
      .openapi({ description: "base64: little-endian float32, as the official clients ask for" }),
  })
  .openapi("EmbeddingRequest");

export const EmbeddingResponseSchema = z
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

export const OpenAiModelListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(
      z.object({ id: z.string(), object: z.literal("model"), created: z.int(), owned_by: z.string() }),
    ),
  })
  .openapi("OpenAiModelList");

export type ChatCompletionRequest = z.output<typeof ChatCompletionRequestSchema>;
export type MessageContent = z.output<typeof MessageContentSchema>;
export type OpenAiTool = z.output<typeof ToolSchema>;
