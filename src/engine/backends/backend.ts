import type {
  BackendKind,
  ChatMessage,
  ChatOptions,
  EmbeddingResult,
  EngineCapabilities,
  GenerateOptions,
  GenerationResult,
} from "../types.js";

/** What each backend (llama.cpp, Ollama, OpenAI-compatible) implements; the engine adds queue, fallback and metrics. */
export interface Backend {
  readonly kind: BackendKind;
  chat(messages: ChatMessage[], options: ChatOptions): Promise<GenerationResult>;
  complete(prompt: string, options: GenerateOptions): Promise<GenerationResult>;
  embed(texts: string[], signal?: AbortSignal): Promise<EmbeddingResult>;
  countTokens(text: string): Promise<number>;
  contextSize(): Promise<number>;
  capabilities(): EngineCapabilities;
  /** The model this backend serves (or would serve next), when known without loading anything. */
  modelName(): string | undefined;
  loaded(): boolean;
  load(): Promise<void>;
  unload(): Promise<void>;
}

/** Timings a backend measures around one generation; turned into a GenerationResult by `finishGeneration`. */
export class GenerationClock {
  private readonly startedAt = performance.now();
  private firstTokenAt: number | undefined;
  generatedTokens = 0;

  markToken(count = 1): void {
    this.firstTokenAt ??= performance.now();
    this.generatedTokens += count;
  }

  finish(fields: {
    text: string;
    model: string;
    backend: BackendKind;
    stopReason: GenerationResult["stopReason"];
    promptTokens: number;
    reusedPromptTokens: number;
    generatedTokens?: number;
    loadMs: number;
    toolCalls?: GenerationResult["toolCalls"];
  }): GenerationResult {
    const endedAt = performance.now();
    const firstTokenAt = this.firstTokenAt ?? endedAt;
    const generatedTokens = fields.generatedTokens ?? this.generatedTokens;
    const promptSeconds = Math.max(firstTokenAt - this.startedAt - fields.loadMs, 0) / 1000;
    const generationSeconds = (endedAt - firstTokenAt) / 1000;
    const evaluatedPromptTokens = fields.promptTokens - fields.reusedPromptTokens;
    return {
      text: fields.text,
      ...(fields.toolCalls && fields.toolCalls.length > 0 ? { toolCalls: fields.toolCalls } : {}),
      model: fields.model,
      backend: fields.backend,
      stopReason: fields.stopReason,
      promptTokens: fields.promptTokens,
      reusedPromptTokens: fields.reusedPromptTokens,
      generatedTokens,
      timeToFirstTokenMs: round(firstTokenAt - this.startedAt),
      promptTokensPerSecond: promptSeconds > 0 ? round(evaluatedPromptTokens / promptSeconds) : 0,
      // The first token's time belongs to the prompt; speed is over the tokens after it.
      tokensPerSecond:
        generationSeconds > 0 && generatedTokens > 1 ? round((generatedTokens - 1) / generationSeconds) : 0,
      loadMs: round(fields.loadMs),
      totalMs: round(endedAt - this.startedAt),
    };
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
