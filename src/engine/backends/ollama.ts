import { AskDbError } from "../../errors/index.js";
import { newId } from "../../util/index.js";
import { requireRemoteConfig, type EngineConfig, type OllamaConfig } from "../config.js";
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
import { readNdjson, requestJson } from "./http.js";
import { baseUrl, RemoteBackend, toolsField } from "./remote.js";

/** One line of Ollama's NDJSON stream (`/api/chat` has `message`, `/api/generate` has `response`). */
interface OllamaChunk {
  model?: string;
  message?: {
    role: string;
    content?: string;
    tool_calls?: Array<{ function: { name: string; arguments: Record<string, unknown> } }>;
  };
  response?: string;
  done: boolean;
  done_reason?: string;
  error?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  load_duration?: number;
}

/** Ollama's native API: streaming `/api/chat` and `/api/generate`, `/api/embed`, `keep_alive`. */
export class OllamaBackend extends RemoteBackend<"ollama"> implements Backend {
  readonly kind = "ollama" as const;

  async chat(messages: ChatMessage[], options: ChatOptions): Promise<GenerationResult> {
    const ollama = this.settings(options);
    return this.stream(
      "/api/chat",
      {
        model: ollama.model,
        messages: messages.map(toOllamaMessage),
        ...toolsField(options),
        ...this.common(options),
      },
      options,
    );
  }

  async complete(prompt: string, options: GenerateOptions): Promise<GenerationResult> {
    const ollama = this.settings(options);
    return this.stream("/api/generate", { model: ollama.model, prompt, ...this.common(options) }, options);
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<EmbeddingResult> {
    const ollama = this.settings({});
    const model = ollama.embeddingModel ?? ollama.model;
    const response = await requestJson({
      backend: this.kind,
      url: `${baseUrl(ollama.url)}/api/embed`,
      body: { model, input: texts, keep_alive: keepAlive(this.config) },
      signal,
    });
    const body = (await response.json()) as { embeddings: number[][] };
    return {
      model,
      backend: this.kind,
      dimensions: body.embeddings[0]?.length ?? 0,
      vectors: body.embeddings,
    };
  }

  async contextSize(): Promise<number> {
    return this.config.contextSize ?? 4096;
  }

  /** Asks Ollama to load the model now (a generate request without a prompt). */
  async load(): Promise<void> {
    const ollama = this.settings({});
    await requestJson({
      backend: this.kind,
      url: `${baseUrl(ollama.url)}/api/generate`,
      body: { model: ollama.model, keep_alive: keepAlive(this.config) },
    });
  }

  async unload(): Promise<void> {
    const ollama = this.config.ollama;
    if (!ollama) return;
    await requestJson({
      backend: this.kind,
      url: `${baseUrl(ollama.url)}/api/generate`,
      body: { model: ollama.model, keep_alive: 0 },
    });
  }

  private settings(options: GenerateOptions): OllamaConfig {
    const ollama = requireRemoteConfig("ollama", this.config, "http://127.0.0.1:11434");
    if (options.grammar !== undefined) {
      throw new AskDbError("UNPROCESSABLE", "Ollama cannot constrain output with a GBNF grammar", {
        hint: "put llamacpp before ollama: `askdb config set backend.order llamacpp,ollama`",
      });
    }
    return ollama;
  }

  private common(options: GenerateOptions): Record<string, unknown> {
    return {
      stream: true,
      keep_alive: keepAlive(this.config),
      ...(options.jsonSchema ? { format: options.jsonSchema } : {}),
      options: {
        temperature: options.temperature ?? 0,
        ...(options.maxTokens !== undefined ? { num_predict: options.maxTokens } : {}),
        ...(options.stop?.length ? { stop: options.stop } : {}),
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(this.config.contextSize ? { num_ctx: this.config.contextSize } : {}),
      },
    };
  }

  private async stream(
    path: string,
    body: Record<string, unknown>,
    options: GenerateOptions,
  ): Promise<GenerationResult> {
    const ollama = this.config.ollama as OllamaConfig;
    const clock = new GenerationClock();
    const response = await requestJson({
      backend: this.kind,
      url: `${baseUrl(ollama.url)}${path}`,
      body,
      signal: options.signal,
    });
    let text = "";
    const toolCalls: ToolCall[] = [];
    let last: OllamaChunk | undefined;
    for await (const chunk of readNdjson<OllamaChunk>(response, options.signal)) {
      if (chunk.error)
        throw new AskDbError("BACKEND_UNAVAILABLE", `Ollama failed while generating: ${chunk.error}`);
      text += this.received(chunk.message?.content ?? chunk.response ?? "", clock, options);
      for (const call of chunk.message?.tool_calls ?? []) {
        toolCalls.push({
          id: newId("call"),
          name: call.function.name,
          arguments: call.function.arguments ?? {},
        });
      }
      last = chunk;
    }
    if (!last?.done)
      throw new AskDbError("NETWORK", "the Ollama stream ended before the response was complete");
    return clock.finish({
      text,
      toolCalls,
      model: last.model ?? ollama.model,
      backend: this.kind,
      stopReason: toolCalls.length > 0 ? "toolCall" : stopReasonOf(last.done_reason),
      promptTokens: last.prompt_eval_count ?? 0,
      reusedPromptTokens: 0,
      generatedTokens: last.eval_count ?? clock.generatedTokens,
      loadMs: (last.load_duration ?? 0) / 1e6,
    });
  }
}

function toOllamaMessage(message: ChatMessage): Record<string, unknown> {
  return {
    role: message.role,
    content: message.content,
    ...(message.toolCalls?.length
      ? {
          tool_calls: message.toolCalls.map((call) => ({
            function: { name: call.name, arguments: call.arguments },
          })),
        }
      : {}),
  };
}

/** Ollama's keep_alive: a duration string, or -1 to keep the model loaded. */
function keepAlive(config: EngineConfig): string | number {
  return config.keepAliveMs < 0 ? -1 : `${Math.round(config.keepAliveMs / 1000)}s`;
}

function stopReasonOf(reason: string | undefined): StopReason {
  return reason === "length" ? "maxTokens" : "stop";
}
