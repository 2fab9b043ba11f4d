import type { EngineConfig } from "../config.js";
import type { ChatOptions, EngineCapabilities, GenerateOptions } from "../types.js";
import type { GenerationClock } from "./backend.js";
import { estimateTokens } from "./http.js";

/**
 * What the Ollama and OpenAI-compatible backends share: a model server that askdb reaches over
 * HTTP, never loads itself, and cannot constrain with a GBNF grammar.
 */
export abstract class RemoteBackend<K extends "ollama" | "openai"> {
  abstract readonly kind: K;

  constructor(protected readonly config: EngineConfig) {}

  capabilities(): EngineCapabilities {
    return { grammar: false, responsePrefix: false, embeddings: true, tools: true };
  }

  modelName(): string | undefined {
    return this.config[this.kind]?.model;
  }

  loaded(): boolean {
    return false;
  }

  async countTokens(text: string): Promise<number> {
    return estimateTokens(text);
  }

  /** A streamed piece of the reply: counted as a token and passed on; returned to be appended. */
  protected received(piece: string, clock: GenerationClock, options: GenerateOptions): string {
    if (piece.length > 0) {
      clock.markToken();
      options.onToken?.(piece);
    }
    return piece;
  }
}

/** The tools a chat request offers, in the function-calling shape both APIs take. */
export function toolsField(options: ChatOptions): Record<string, unknown> {
  return options.tools?.length
    ? { tools: options.tools.map((tool) => ({ type: "function", function: tool })) }
    : {};
}

/** A server's base URL without trailing slashes, ready for a path to be appended. */
export function baseUrl(url: string): string {
  return url.replace(/\/+$/, "");
}
