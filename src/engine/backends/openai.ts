import { AskDbError } from "../../errors/index.js";
import { newId } from "../../util/index.js";
import { requireRemoteConfig, type OpenAiConfig } from "../config.js";
import type {
  ChatMessage,
  ChatOptions,
  EmbeddingResult,
  GenerateOptions,
  GenerationResult,
  StopReason,
  ToolCall,
} from "../types.js";
import { GenerationClock, type Backend } from "./backend.js";
import { readSse, requestJson } from "./http.js";
import { baseUrl, RemoteBackend, toolsField } from "./remote.js";

interface StreamedToolCall {
  index: number;
  id?: string;
  function?: { name?: string; arguments?: string };
}

/** One SSE event of `/v1/chat/completions` (delta) or `/v1/completions` (text) when streaming. */
interface OpenAiChunk {
  model?: string;
  choices?: Array<{
    delta?: { content?: string | null; tool_calls?: StreamedToolCall[] };
    text?: string;
    finish_reason?: string | null;
  }>;
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    prompt_tokens_details?: { cached_tokens?: number };
  };
  error?: { message?: string };
}

/** Any server speaking the OpenAI API (llama-server, vLLM, LM Studio, OpenAI itself): SSE streaming. */
export class OpenAiBackend extends RemoteBackend<"openai"> implements Backend {
  readonly kind = "openai" as const;

  async load(): Promise<void> {}

  async unload(): Promise<void> {}

  async chat(messages: ChatMessage[], options: ChatOptions): Promise<GenerationResult> {
    const openai = this.settings();
    return this.stream(
      "/chat/completions",
      {
        model: openai.model,
        messages: messages.map(toOpenAiMessage),
        ...toolsField(options),
        ...common(options),
      },
      options,
    );
  }

  async complete(prompt: string, options: GenerateOptions): Promise<GenerationResult> {
    const openai = this.settings();
    return this.stream("/completions", { model: openai.model, prompt, ...common(options) }, options);
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<EmbeddingResult> {
    const openai = this.settings();
    const model = openai.embeddingModel ?? openai.model;
    const response = await requestJson({
      backend: this.kind,
      url: `${baseUrl(openai.url)}/embeddings`,
      body: { model, input: texts },
      headers: this.headers(openai),
      signal,
    });
    const body = (await response.json()) as { data: Array<{ embedding: number[]; index: number }> };
    const vectors = [...body.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    return { model, backend: this.kind, dimensions: vectors[0]?.length ?? 0, vectors };
  }

  async contextSize(): Promise<number> {
    return this.config.contextSize ?? 8192;
  }

  private settings(): OpenAiConfig {
    return requireRemoteConfig("openai", this.config, "http://127.0.0.1:8080/v1");
  }

  private headers(openai: OpenAiConfig): Record<string, string> {
    if (!openai.apiKeyEnv) return {};
    const key = process.env[openai.apiKeyEnv];
    if (!key) {
      throw new AskDbError(
        "UNAUTHORIZED",
        `the environment variable ${openai.apiKeyEnv} (the OpenAI-compatible API key) is not set`,
        {
          hint: `export ${openai.apiKeyEnv}=… before starting askdb, or run \`askdb config reset openai.apiKeyEnv\` if the server needs no key`,
        },
      );
    }
    return { authorization: `Bearer ${key}` };
  }

  private async stream(
    path: string,
    body: Record<string, unknown>,
    options: GenerateOptions,
  ): Promise<GenerationResult> {
    const openai = this.config.openai as OpenAiConfig;
    const clock = new GenerationClock();
    const response = await requestJson({
      backend: this.kind,
      url: `${baseUrl(openai.url)}${path}`,
      body,
      headers: this.headers(openai),
      signal: options.signal,
    });
    let text = "";
    let model = openai.model;
    let finishReason: string | undefined;
    let usage: OpenAiChunk["usage"];
    const calls = new Map<number, { id: string; name: string; arguments: string }>();
    for await (const chunk of readSse<OpenAiChunk>(response, options.signal)) {
      if (chunk.error)
        throw new AskDbError(
          "BACKEND_UNAVAILABLE",
          `the OpenAI-compatible server failed: ${chunk.error.message ?? "unknown error"}`,
        );
      model = chunk.model ?? model;
      usage = chunk.usage ?? usage;
      const choice = chunk.choices?.[0];
      if (!choice) continue;
      text += this.received(choice.delta?.content ?? choice.text ?? "", clock, options);
      for (const delta of choice.delta?.tool_calls ?? []) mergeToolCall(calls, delta);
      finishReason = choice.finish_reason ?? finishReason;
    }
    const toolCalls = [...calls.values()].map(parseToolCall);
    return clock.finish({
      text,
      toolCalls,
      model,
      backend: this.kind,
      stopReason: toolCalls.length > 0 ? "toolCall" : stopReasonOf(finishReason),
      promptTokens: usage?.prompt_tokens ?? 0,
      reusedPromptTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
      generatedTokens: usage?.completion_tokens ?? clock.generatedTokens,
      loadMs: 0,
    });
  }
}

function common(options: GenerateOptions): Record<string, unknown> {
  return {
    stream: true,
    stream_options: { include_usage: true },
    temperature: options.temperature ?? 0,
    ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
    // The OpenAI API accepts at most 4 stop sequences.
    ...(options.stop?.length ? { stop: options.stop.slice(0, 4) } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.jsonSchema
      ? {
          response_format: {
            type: "json_schema",
            json_schema: { name: "output", schema: options.jsonSchema, strict: true },
          },
        }
      : {}),
    // llama.cpp's server takes a GBNF grammar as an extension of the OpenAI API.
    ...(options.grammar !== undefined ? { grammar: options.grammar } : {}),
  };
}

function mergeToolCall(
  calls: Map<number, { id: string; name: string; arguments: string }>,
  delta: StreamedToolCall,
): void {
  const call = calls.get(delta.index) ?? { id: delta.id ?? newId("call"), name: "", arguments: "" };
  if (delta.id) call.id = delta.id;
  call.name += delta.function?.name ?? "";
  call.arguments += delta.function?.arguments ?? "";
  calls.set(delta.index, call);
}

function parseToolCall(call: { id: string; name: string; arguments: string }): ToolCall {
  let args: unknown = {};
  try {
    args = call.arguments.trim() ? JSON.parse(call.arguments) : {};
  } catch {
    args = { _raw: call.arguments };
  }
  return {
    id: call.id,
    name: call.name,
    arguments: (typeof args === "object" && args !== null ? args : {}) as Record<string, unknown>,
  };
}

function toOpenAiMessage(message: ChatMessage): Record<string, unknown> {
  return {
    role: message.role,
    content: message.content,
    ...(message.toolCalls?.length
      ? {
          tool_calls: message.toolCalls.map((call) => ({
            id: call.id,
            type: "function",
            function: { name: call.name, arguments: JSON.stringify(call.arguments) },
          })),
        }
      : {}),
    ...(message.toolCallId ? { tool_call_id: message.toolCallId } : {}),
  };
}

function stopReasonOf(reason: string | undefined): StopReason {
  if (reason === "length") return "maxTokens";
  if (reason === "tool_calls") return "toolCall";
  return "stop";
}
