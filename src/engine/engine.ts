import { basename, resolve } from "node:path";
import { toAskDbError, type AskDbError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import type { Backend } from "./backends/backend.js";
import { LlamaCppBackend, type LlamaCppRuntime } from "./backends/llamacpp.js";
import type { ModelFile } from "./backends/llama-runtime.js";
import { OllamaBackend } from "./backends/ollama.js";
import { OpenAiBackend } from "./backends/openai.js";
import {
  DEFAULT_ENGINE_CONFIG,
  resolveEngineConfig,
  type EngineConfig,
  type EngineConfigInput,
} from "./config.js";
import { withFallback } from "./fallback.js";
import { MetricsRecorder, renderPrometheus, type ModelMetrics } from "./metrics.js";
import { RequestQueue } from "./queue.js";
import type {
  BackendKind,
  ChatMessage,
  ChatOptions,
  EmbeddingResult,
  Engine,
  EngineCapabilities,
  EngineStatus,
  GenerateOptions,
  GenerationResult,
} from "./types.js";

export type ModelKind = "llm" | "embedding";

const UNSERVICEABLE = new Set<string>([
  "NO_MODEL",
  "MODEL_INVALID",
  "MODEL_TOO_LARGE",
  "BACKEND_UNAVAILABLE",
  "NETWORK",
]);

export interface CreateEngineOptions {
  config?: EngineConfigInput;
  /** askdb's state store: per-model metrics are persisted in it when given. */
  store?: Store;
  /** Where the active model of each kind lives (the models module's `getActive`). */
  locateModel?: (kind: ModelKind) => ModelFile | undefined;
  /** A GGUF file to chat with instead of the active model (`askdb chat --model FILE`). */
  modelFile?: string;
  /** A GGUF file to embed with instead of the active embedding model. */
  embeddingModelFile?: string;
  /** Called when a local model has been loaded (the models module records last use). */
  onModelLoaded?: (model: ModelFile) => void;
}

/** The Engine plus what the app, server and CLI need to manage it. */
export interface ManagedEngine extends Engine {
  /** Loads the local model now instead of on first use. */
  load(): Promise<void>;
  metrics(): ModelMetrics[];
  /** Prometheus text exposition of the engine alone (the server adds `registerEngineMetrics` to its own registry). */
  prometheus(): Promise<string>;
  config(): EngineConfig;
  /** Applies settings at run time; a changed thread count or context size reloads the model on next use. */
  updateConfig(patch: EngineConfigInput): EngineConfig;
  /** Figures of the loaded local model (threads, context, memory), or undefined when none is loaded. */
  runtime(): LlamaCppRuntime | undefined;
  /** Unloads the local model (for shutdown); a later request would load it again. */
  close(): Promise<void>;
}

export function createEngine(options: CreateEngineOptions = {}): ManagedEngine {
  let config = resolveEngineConfig(DEFAULT_ENGINE_CONFIG, options.config);
  const locate = modelLocator(options);
  const local = new LlamaCppBackend({
    config: () => config,
    locateModel: locate,
    onModelLoaded: options.onModelLoaded,
  });
  const metrics = new MetricsRecorder(options.store);
  const queue = new RequestQueue(() => config.queue.maxPending);
  let remote = remoteBackends(config);
  /** The last failure that says the engine cannot serve, with the backend and model it was about. */
  let lastError: { message: string; about: string } | undefined;

  const chain = (): Backend[] => config.backends.map((kind) => (kind === "llamacpp" ? local : remote[kind]));
  const primary = (): Backend => chain()[0];
  const subjectOf = (backend: Backend): string => `${backend.kind}:${backend.modelName() ?? ""}`;
  // A failure about another backend or model than the one now in front (the user activated a new model) is stale.
  const currentError = (): string | undefined =>
    lastError?.about === subjectOf(primary()) ? lastError.message : undefined;

  /**
   * Queue → fallback chain → metrics: the path of every model request. Only LLM requests set or
   * clear the engine's error: without a (working) embedding model, retrieval falls back to words.
   */
  async function serve<T extends { model: string; backend: BackendKind }>(
    signal: AbortSignal | undefined,
    attempt: (backend: Backend) => Promise<T>,
    resultOf: (value: T) => GenerationResult | undefined,
    kind: ModelKind = "llm",
  ): Promise<T> {
    return queue.run(
      () =>
        withFallback(
          chain(),
          async (backend) => {
            try {
              const value = await attempt(backend);
              metrics.record({
                model: value.model,
                backend: value.backend,
                ok: true,
                result: resultOf(value),
                memoryBytes: memoryOf(backend),
              });
              if (kind === "llm") lastError = undefined;
              return value;
            } catch (error) {
              recordFailure(backend, error, kind);
              throw error;
            }
          },
          { retries: config.retries, baseDelayMs: config.retryBaseDelayMs, signal },
        ),
      signal,
    );
  }

  function recordFailure(backend: Backend, error: unknown, kind: ModelKind): void {
    const failure = toAskDbError(error);
    if (kind === "llm") noteError(backend, failure);
    const model = backend.modelName();
    // A request that never reached a model (none installed, cancelled while loading) has no model to count against.
    if (model && failure.code !== "NO_MODEL")
      metrics.record({ model, backend: backend.kind, ok: false, memoryBytes: memoryOf(backend) });
  }

  /** Only failures that say the engine cannot serve mark it as in error, not a bad request or a cancel. */
  function noteError(backend: Backend, failure: AskDbError): void {
    if (UNSERVICEABLE.has(failure.code)) lastError = { message: failure.message, about: subjectOf(backend) };
  }

  /** Work on the LLM outside the queue (sizing a prompt loads the model too): its failure is the engine's error. */
  async function direct<T>(work: (backend: Backend) => Promise<T>): Promise<T> {
    const backend = primary();
    try {
      return await work(backend);
    } catch (error) {
      noteError(backend, toAskDbError(error));
      throw error;
    }
  }

  function memoryOf(backend: Backend): number {
    return backend === local ? process.memoryUsage().rss : 0;
  }

  const engine: ManagedEngine = {
    chat: (messages: ChatMessage[], chatOptions: ChatOptions = {}) =>
      serve(
        chatOptions.signal,
        (backend) => backend.chat(messages, chatOptions),
        (result) => result,
      ),
    complete: (prompt: string, generateOptions: GenerateOptions = {}) =>
      serve(
        generateOptions.signal,
        (backend) => backend.complete(prompt, generateOptions),
        (result) => result,
      ),
    embed: (texts: string[], embedOptions: { signal?: AbortSignal } = {}): Promise<EmbeddingResult> =>
      serve(
        embedOptions.signal,
        (backend) => backend.embed(texts, embedOptions.signal),
        () => undefined,
        "embedding",
      ),
    // Tokenizing and sizing do not touch the context sequence, so they never wait behind generation.
    countTokens: (text: string) => direct((backend) => backend.countTokens(text)),
    contextSize: () => direct((backend) => backend.contextSize()),
    capabilities: (): EngineCapabilities => primary().capabilities(),
    status: (): EngineStatus => {
      const backend = primary();
      const loading = backend === local && local.loading();
      const error = currentError();
      const state = loading
        ? "loading"
        : queue.busy
          ? "busy"
          : backend.loaded()
            ? "ready"
            : error
              ? "error"
              : "unloaded";
      const runtime = backend === local ? local.runtime() : undefined;
      return {
        state,
        backend: backend.kind,
        ...(backend.modelName() ? { model: backend.modelName() } : {}),
        queueLength: queue.pending,
        ...(state === "error" ? { error } : {}),
        ...(runtime
          ? { threads: runtime.threads, contextSize: runtime.contextSize, memoryBytes: runtime.memoryBytes }
          : {}),
      };
    },
    unload: async () => {
      await Promise.all(chain().map((backend) => backend.unload()));
    },
    load: async () => {
      await direct((backend) => backend.load());
      lastError = undefined;
    },
    metrics: () => metrics.list(),
    prometheus: () =>
      renderPrometheus(
        () => metrics.list(),
        () => engine.status(),
      ),
    config: () => config,
    updateConfig: (patch) => {
      config = resolveEngineConfig(config, patch);
      remote = remoteBackends(config);
      return config;
    },
    runtime: () => local.runtime(),
    close: () => local.unload(),
  };
  return engine;
}

function remoteBackends(config: EngineConfig): Record<Exclude<BackendKind, "llamacpp">, Backend> {
  return { ollama: new OllamaBackend(config), openai: new OpenAiBackend(config) };
}

function modelLocator(options: CreateEngineOptions): (kind: ModelKind) => ModelFile | undefined {
  const fromFile = (path: string | undefined): ModelFile | undefined =>
    path ? { id: basename(path).replace(/\.gguf$/i, ""), path: resolve(path) } : undefined;
  return (kind) =>
    (kind === "llm" ? fromFile(options.modelFile) : fromFile(options.embeddingModelFile)) ??
    options.locateModel?.(kind);
}
