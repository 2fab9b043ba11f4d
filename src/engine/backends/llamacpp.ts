import type {
  ChatWrapper,
  Llama,
  LlamaCompletion,
  LlamaContext,
  LlamaContextSequence,
  LlamaEmbeddingContext,
  LlamaGrammar,
  LlamaModel,
  LlamaText,
  Token,
} from "node-llama-cpp";
import os from "node:os";
import { AskDbError, toAskDbError } from "../../errors/index.js";
import type { EngineConfig } from "../config.js";
import type {
  ChatMessage,
  ChatOptions,
  EmbeddingResult,
  EngineCapabilities,
  GenerateOptions,
  GenerationResult,
} from "../types.js";
import { GenerationClock, type Backend } from "./backend.js";
import {
  assertFitsContext,
  chatWrapperFor,
  compileGrammar,
  stopReasonOf,
  toChatHistory,
} from "./llamacpp-format.js";
import {
  beginningToken,
  checkModelFits,
  DEFAULT_CONTEXT_CAP,
  defaultThreads,
  getSharedLlama,
  loadError,
  loadLlamaCpp,
  type LlamaCpp,
  type ModelFile,
} from "./llama-runtime.js";
import { throwIfAborted } from "../queue.js";
import { LoadSlot } from "./load-slot.js";
import { parseToolReply, toolReplySchema, withToolInstructions } from "./tool-protocol.js";

export interface LlamaCppBackendOptions {
  config: () => EngineConfig;
  locateModel: (kind: "llm" | "embedding") => ModelFile | undefined;
  onModelLoaded?: (model: ModelFile) => void;
}

/** A loaded chat/completion model with its one long-lived sequence, kept so that prompt prefixes are reused. */
interface LoadedLlm {
  file: ModelFile;
  model: LlamaModel;
  context: LlamaContext;
  sequence: LlamaContextSequence;
  completion: LlamaCompletion;
  chatWrapper: ChatWrapper;
  /** The node-llama-cpp module the model was loaded with (imported lazily). */
  llamaCpp: LlamaCpp;
}

interface LoadedEmbedder {
  file: ModelFile;
  model: LlamaModel;
  context: LlamaEmbeddingContext;
  contextSize: number;
}

export interface LlamaCppRuntime {
  model: string;
  path: string;
  contextSize: number;
  threads: number;
  memoryBytes: number;
  gpu: string | false;
  flashAttention: "auto" | boolean;
}

const DEFAULT_MAX_TOKENS = 512;

export class LlamaCppBackend implements Backend {
  readonly kind = "llamacpp" as const;
  private readonly llm = new LoadSlot<LoadedLlm>(disposeLlm);
  private readonly embedder = new LoadSlot<LoadedEmbedder>(disposeEmbedder);
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  private active = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: LlamaCppBackendOptions) {}

  capabilities(): EngineCapabilities {
    return { grammar: true, responsePrefix: true, embeddings: true, tools: true };
  }

  modelName(): string | undefined {
    return this.llm.current?.file.id ?? this.options.locateModel("llm")?.id;
  }

  loaded(): boolean {
    return this.llm.current !== undefined || this.embedder.current !== undefined;
  }

  loading(): boolean {
    return this.llm.isLoading || this.embedder.isLoading;
  }

  /** Figures about the loaded model, for status and the thread-setting test; undefined when nothing is loaded. */
  runtime(): LlamaCppRuntime | undefined {
    const llm = this.llm.current;
    if (!llm) return undefined;
    return {
      model: llm.file.id,
      path: llm.file.path,
      contextSize: llm.context.contextSize,
      threads: llm.context.idealThreads,
      memoryBytes: llm.model.size + llm.context.stateSize,
      gpu: llm.model.llama.gpu,
      flashAttention: llm.context.flashAttention,
    };
  }

  async load(): Promise<void> {
    await this.withActivity(() => this.ensureLlm());
  }

  async unload(): Promise<void> {
    clearTimeout(this.idleTimer);
    await Promise.all([this.llm.clear(), this.embedder.clear()]);
  }

  async complete(prompt: string, options: GenerateOptions): Promise<GenerationResult> {
    return this.withActivity(async () => {
      const clock = new GenerationClock();
      const { llm, loadMs } = await this.timedLoad();
      return this.generate(llm, llm.model.tokenize(prompt, false), options, [], clock, loadMs);
    });
  }

  async chat(messages: ChatMessage[], options: ChatOptions): Promise<GenerationResult> {
    return this.withActivity(async () => {
      const clock = new GenerationClock();
      const { llm, loadMs } = await this.timedLoad();
      const tools = options.tools ?? [];
      const history = toChatHistory(tools.length > 0 ? withToolInstructions(messages, tools) : messages);
      const state = llm.chatWrapper.generateContextState({
        chatHistory: [
          ...history,
          { type: "model", response: options.responsePrefix ? [options.responsePrefix] : [] },
        ],
      });
      const tokens = state.contextText.tokenize(llm.model.tokenizer);
      if (tools.length === 0)
        return this.generate(llm, tokens, options, state.stopGenerationTriggers, clock, loadMs);
      // The raw reply is a JSON envelope, so the answer is handed to onToken once it is parsed.
      const toolOptions = {
        ...options,
        grammar: undefined,
        jsonSchema: toolReplySchema(tools),
        onToken: undefined,
      };
      const result = await this.generate(
        llm,
        tokens,
        toolOptions,
        state.stopGenerationTriggers,
        clock,
        loadMs,
      );
      const reply = parseToolReply(result.text);
      if (reply.text.length > 0) options.onToken?.(reply.text);
      return {
        ...result,
        text: reply.text,
        ...(reply.toolCalls.length > 0
          ? { toolCalls: reply.toolCalls, stopReason: "toolCall" as const }
          : {}),
      };
    });
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<EmbeddingResult> {
    return this.withActivity(async () => {
      const embedder = await this.ensureEmbedder();
      const dimensions = embedder.model.embeddingVectorSize ?? 0;
      const vectors: number[][] = [];
      for (const text of texts) {
        throwIfAborted(signal);
        vectors.push(await embedOne(embedder, text, dimensions));
      }
      return { model: embedder.file.id, backend: this.kind, dimensions, vectors };
    });
  }

  async countTokens(text: string): Promise<number> {
    return this.withActivity(async () => (await this.ensureLlm()).model.tokenize(text).length);
  }

  async contextSize(): Promise<number> {
    return this.withActivity(async () => (await this.ensureLlm()).context.contextSize);
  }

  /** Runs one request, marking the backend busy and restarting the idle keep-alive when it ends. */
  private async withActivity<T>(body: () => Promise<T>): Promise<T> {
    clearTimeout(this.idleTimer);
    this.active += 1;
    try {
      return await body();
    } finally {
      this.active -= 1;
      if (this.active === 0) this.scheduleIdleUnload();
    }
  }

  private scheduleIdleUnload(): void {
    const keepAliveMs = this.options.config().keepAliveMs;
    if (keepAliveMs < 0 || !this.loaded()) return;
    this.idleTimer = setTimeout(() => {
      if (this.active === 0) void this.unload();
    }, keepAliveMs);
    this.idleTimer.unref();
  }

  private async timedLoad(): Promise<{ llm: LoadedLlm; loadMs: number }> {
    const before = this.llm.current;
    const startedAt = performance.now();
    const llm = await this.ensureLlm();
    return { llm, loadMs: llm === before ? 0 : performance.now() - startedAt };
  }

  private async ensureLlm(): Promise<LoadedLlm> {
    const file = this.options.locateModel("llm");
    if (!file) throw noModelError("llm");
    return this.llm.get(`${file.path}|${this.settingsKey()}`, () => this.loadLlm(file));
  }

  private settingsKey(): string {
    const { threads, contextSize, gpuLayers } = this.options.config();
    return JSON.stringify([threads, contextSize, gpuLayers]);
  }

  private async loadLlm(file: ModelFile): Promise<LoadedLlm> {
    const config = this.options.config();
    const llama = await getSharedLlama();
    const llamaCpp = await loadLlamaCpp();
    const { trainContextSize } = await checkModelFits(llama, file, config.contextSize, maxMemory(config));
    try {
      const model = await llama.loadModel({ modelPath: file.path, gpuLayers: config.gpuLayers ?? "auto" });
      const context = await model
        .createContext({
          contextSize:
            config.contextSize ?? Math.min(trainContextSize ?? DEFAULT_CONTEXT_CAP, DEFAULT_CONTEXT_CAP),
          threads: config.threads ?? defaultThreads(llama, model.size),
          // Faster on a CPU too with the real models (2 cores, 420 question tokens after a 3,100-token prefix:
          // Qwen2.5-Coder-1.5B 6.4–6.8 s with it, 8.7–8.9 s without; 0.5B 3.0 s against 4.8–5.0 s).
          flashAttention: true,
        })
        .catch(async (error: unknown) => {
          await model.dispose();
          throw error;
        });
      const sequence = context.getSequence();
      this.options.onModelLoaded?.(file);
      return {
        file,
        model,
        context,
        sequence,
        completion: new llamaCpp.LlamaCompletion({ contextSequence: sequence }),
        chatWrapper: chatWrapperFor(model, llamaCpp),
        llamaCpp,
      };
    } catch (error) {
      throw loadError(file, error, llamaCpp);
    }
  }

  private async ensureEmbedder(): Promise<LoadedEmbedder> {
    const file = this.options.locateModel("embedding");
    if (!file) throw noModelError("embedding");
    return this.embedder.get(`${file.path}|${this.settingsKey()}`, () => this.loadEmbedder(file));
  }

  private async loadEmbedder(file: ModelFile): Promise<LoadedEmbedder> {
    const config = this.options.config();
    const llama = await getSharedLlama();
    const llamaCpp = await loadLlamaCpp();
    const { trainContextSize } = await checkModelFits(llama, file, undefined, maxMemory(config));
    try {
      const model = await llama.loadModel({ modelPath: file.path, gpuLayers: config.gpuLayers ?? "auto" });
      const contextSize = Math.min(trainContextSize ?? 512, 2048);
      const context = await model.createEmbeddingContext({
        contextSize,
        threads: config.threads ?? defaultThreads(llama, model.size),
      });
      this.options.onModelLoaded?.(file);
      return { file, model, context, contextSize };
    } catch (error) {
      throw loadError(file, error, llamaCpp);
    }
  }

  private grammarFor(llama: Llama, options: GenerateOptions): Promise<LlamaGrammar> | undefined {
    const key = options.jsonSchema
      ? `json:${JSON.stringify(options.jsonSchema)}`
      : options.grammar
        ? `gbnf:${options.grammar}`
        : undefined;
    if (!key) return undefined;
    let grammar = this.grammars.get(key);
    if (!grammar) {
      grammar = compileGrammar(llama, options);
      this.grammars.set(key, grammar);
      grammar.catch(() => this.grammars.delete(key));
    }
    return grammar;
  }

  /**
   * Generates on the model's one sequence. LlamaCompletion aligns the sequence with the new prompt
   * (`adaptStateToTokens`), so tokens it already holds are not evaluated again: that is the prefix reuse.
   */
  private async generate(
    llm: LoadedLlm,
    renderedTokens: Token[],
    options: GenerateOptions,
    templateStops: LlamaText[],
    clock: GenerationClock,
    loadMs: number,
  ): Promise<GenerationResult> {
    const grammar = await this.grammarFor(llm.model.llama, options);
    const bos = beginningToken(llm.model, llm.llamaCpp);
    // LlamaCompletion prepends the beginning token itself; a chat template already starts with it.
    const input = bos !== null && renderedTokens[0] === bos ? renderedTokens.slice(1) : renderedTokens;
    const evaluated = bos === null ? input : [bos, ...input];
    assertFitsContext(evaluated.length, llm.context.contextSize);
    // The last prompt token is always evaluated again: its logits choose the first new token.
    const reused = Math.min(
      llm.sequence.compareContextTokens(evaluated).firstDifferentIndex,
      evaluated.length - 1,
    );
    let text = "";
    try {
      const { response, metadata } = await llm.completion.generateCompletionWithMeta(input, {
        maxTokens: options.maxTokens ?? DEFAULT_MAX_TOKENS,
        temperature: options.temperature ?? 0,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(grammar ? { grammar } : {}),
        customStopTriggers: [...(options.stop ?? []).filter((s) => s.length > 0), ...templateStops],
        signal: options.signal,
        // Penalising repeats breaks SQL and JSON, where names repeat by design.
        repeatPenalty: false,
        // A context shift would throw away the evaluated prefix; stop at the window's end instead.
        disableContextShift: true,
        // Its default (a tenth of the window) also cuts the *start* of any prompt longer than the
        // window less that tenth: the instructions and schema went, and with them the reused prefix.
        // The prompt fits (assertFitsContext above): keep all of it and write into what is left.
        contextShiftSize: 1,
        onToken: (tokens) => clock.markToken(tokens.length),
        onTextChunk: (chunk) => {
          text += chunk;
          options.onToken?.(chunk);
        },
      });
      return clock.finish({
        text: response,
        model: llm.file.id,
        backend: this.kind,
        stopReason: stopReasonOf(metadata.stopReason),
        promptTokens: evaluated.length,
        reusedPromptTokens: reused,
        loadMs,
      });
    } catch (error) {
      if (options.signal?.aborted) {
        throw new AskDbError("CANCELLED", `generation was cancelled after ${clock.generatedTokens} tokens`, {
          details: { partialText: text },
          cause: error,
        });
      }
      throw toAskDbError(error);
    }
  }
}

/**
 * A text longer than the embedding context is cut to what fits (its beginning carries its topic);
 * an empty text gets the zero vector, so every vector of a batch has the model's dimension.
 */
async function embedOne(embedder: LoadedEmbedder, text: string, dimensions: number): Promise<number[]> {
  // Room for the beginning and end tokens llama.cpp may add.
  const tokens = embedder.model.tokenize(text).slice(0, embedder.contextSize - 2);
  if (tokens.length === 0) return new Array<number>(dimensions).fill(0);
  const embedding = await embedder.context.getEmbeddingFor(tokens);
  return Array.from(embedding.vector);
}

function noModelError(kind: "llm" | "embedding"): AskDbError {
  return kind === "llm"
    ? new AskDbError("NO_MODEL", "no model installed: run `askdb models pull qwen2.5-coder-1.5b`", {
        hint: "or point askdb at a GGUF file you have, e.g. `askdb chat --model ./model.gguf`",
      })
    : new AskDbError(
        "NO_MODEL",
        "no embedding model installed: askdb needs one to search its training by meaning",
        {
          hint: "run `askdb models list` to see the catalog's embedding models and `askdb models pull <id>` to install one",
        },
      );
}

function maxMemory(config: EngineConfig): number {
  return config.maxMemoryBytes ?? os.totalmem() * 0.9;
}

async function disposeLlm(llm: LoadedLlm): Promise<void> {
  llm.completion.dispose();
  await llm.context.dispose();
  await llm.model.dispose();
}

async function disposeEmbedder(embedder: LoadedEmbedder): Promise<void> {
  await embedder.context.dispose();
  await embedder.model.dispose();
}
