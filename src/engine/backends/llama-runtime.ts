/**
 * The node-llama-cpp runtime, shared by the llama.cpp backend (llamacpp.ts): the lazy import, one
 * Llama instance per process, thread and flash-attention defaults, the will-it-fit check before a
 * load and the errors a failed load becomes.
 */
import os from "node:os";
import { existsSync } from "node:fs";
import type { GgufInsights, Llama, LlamaModel, Token } from "node-llama-cpp";
import { AskDbError, isAskDbError } from "../../errors/index.js";
import { formatBytes } from "../../util/index.js";

export type LlamaCpp = typeof import("node-llama-cpp");

let llamaCppModule: Promise<LlamaCpp> | undefined;

/**
 * node-llama-cpp, imported on first use: it takes about half a second to import, which every
 * command and `askdb serve` would otherwise pay at start-up even when no model is ever loaded.
 */
export function loadLlamaCpp(): Promise<LlamaCpp> {
  llamaCppModule ??= import("node-llama-cpp");
  return llamaCppModule;
}

let sharedLlama: Promise<Llama> | undefined;

/** One llama.cpp instance per process, using the prebuilt binary only (never compiles or downloads). */
export function getSharedLlama(): Promise<Llama> {
  sharedLlama ??= loadLlamaCpp()
    .then(({ getLlama, LlamaLogLevel }) =>
      getLlama({ build: "never", gpu: "auto", logLevel: LlamaLogLevel.error }),
    )
    .catch((error: unknown) => {
      sharedLlama = undefined;
      throw new AskDbError("BACKEND_UNAVAILABLE", `llama.cpp could not start: ${(error as Error).message}`, {
        hint: "reinstall askdb so that node-llama-cpp's prebuilt binary for this platform is present, or use the Ollama backend",
        cause: error,
      });
    });
  return sharedLlama;
}

/** Below this size a model's per-token work is too small to share: threads only add synchronisation. */
const SINGLE_THREAD_MODEL_BYTES = 64e6;

/**
 * Physical cores: llama.cpp's default thread count oversubscribes small machines and generation
 * collapses. A tiny model runs fastest on one thread (measured: stories260K 270 tok/s on 1 thread,
 * 55–95 on 2).
 */
export function defaultThreads(llama: Llama, modelBytes: number): number {
  if (modelBytes < SINGLE_THREAD_MODEL_BYTES) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), llama.cpuMathCores));
}

export const DEFAULT_CONTEXT_CAP = 4096;

export interface ModelFile {
  id: string;
  path: string;
}

/** Checks that the file exists, is GGUF, and fits in memory with the given context, before llama.cpp touches it. */
export async function checkModelFits(
  llama: Llama,
  file: ModelFile,
  contextSize: number | undefined,
  maxMemoryBytes: number,
): Promise<{ trainContextSize: number | undefined }> {
  if (!existsSync(file.path)) {
    throw new AskDbError("MODEL_INVALID", `model file for ${file.id} is missing: ${file.path}`, {
      hint: "run `askdb models list` to see installed models, or pull it again with `askdb models pull`",
    });
  }
  const { GgufInsights, readGgufFileInfo } = await loadLlamaCpp();
  let insights: GgufInsights;
  try {
    insights = await GgufInsights.from(await readGgufFileInfo(file.path, { logWarnings: false }), llama);
  } catch (error) {
    throw new AskDbError(
      "MODEL_INVALID",
      `${file.path} is not a readable GGUF model: ${(error as Error).message}`,
      {
        hint: "the file may be truncated or not a model; pull it again with `askdb models pull`",
        cause: error,
      },
    );
  }
  const context = Math.min(
    contextSize ?? insights.trainContextSize ?? DEFAULT_CONTEXT_CAP,
    DEFAULT_CONTEXT_CAP * 32,
  );
  const needed =
    insights.estimateModelResourceRequirements({ gpuLayers: 0 }).cpuRam +
    insights.estimateContextResourceRequirements({ contextSize: context, modelGpuLayers: 0 }).cpuRam;
  if (needed > maxMemoryBytes) {
    throw new AskDbError(
      "MODEL_TOO_LARGE",
      `${file.id} needs about ${formatBytes(needed)} of memory with a ${context}-token context; askdb may use ${formatBytes(maxMemoryBytes)}`,
      { hint: "choose a smaller model (`askdb models list`) or lower the engine context size in settings" },
    );
  }
  return { trainContextSize: insights.trainContextSize };
}

/** Turns llama.cpp's load failures into errors a person can act on. */
export function loadError(
  file: ModelFile,
  error: unknown,
  { InsufficientMemoryError }: LlamaCpp,
): AskDbError {
  if (isAskDbError(error)) return error;
  if (error instanceof InsufficientMemoryError) {
    return new AskDbError("MODEL_TOO_LARGE", `not enough memory to load ${file.id}: ${error.message}`, {
      hint: "close other programs, choose a smaller model, or lower the engine context size in settings",
      cause: error,
    });
  }
  return new AskDbError(
    "MODEL_INVALID",
    `llama.cpp could not load ${file.id} (${file.path}): ${(error as Error).message}`,
    {
      hint: "the file may be damaged or of an unsupported architecture; try another model",
      cause: error,
    },
  );
}

/** The token llama.cpp puts before a prompt (what LlamaCompletion prepends), so prefix comparison is exact. */
export function beginningToken(model: LlamaModel, { LlamaVocabularyType }: LlamaCpp): Token | null {
  if (model.vocabularyType === LlamaVocabularyType.rwkv || model.vocabularyType === LlamaVocabularyType.ugm)
    return null;
  if (model.vocabularyType === LlamaVocabularyType.wpm) return model.tokens.bos;
  return model.tokens.shouldPrependBosToken ? model.tokens.bos : null;
}
