import { AskDbError } from "../errors/index.js";
import type { BackendKind } from "./types.js";

export interface OllamaConfig {
  /** e.g. http://127.0.0.1:11434 */
  url: string;
  model: string;
  /** Model used for /api/embed; defaults to `model`. */
  embeddingModel?: string;
}

export interface OpenAiConfig {
  /** Base URL up to and including `/v1`, e.g. http://127.0.0.1:8080/v1 */
  url: string;
  model: string;
  embeddingModel?: string;
  /** Name of the environment variable holding the API key (the key itself is never stored). */
  apiKeyEnv?: string;
}

/** Plain, JSON-serialisable engine settings (the settings module stores and edits them). */
export interface EngineConfig {
  /** Backends tried in this order; a transient failure falls through to the next one. */
  backends: BackendKind[];
  /** llama.cpp threads; default: the physical cores. */
  threads?: number;
  /** llama.cpp context window in tokens; default: min(model's trained context, 4096). */
  contextSize?: number;
  gpuLayers?: "auto" | "max" | number;
  /** Unload an idle local model after this long. */
  keepAliveMs: number;
  /** Refuse to load a local model whose estimated memory exceeds this (default: 90% of RAM). */
  maxMemoryBytes?: number;
  ollama?: OllamaConfig;
  openai?: OpenAiConfig;
  /** Off by default: a backend on a non-loopback address receives the user's data only when this is on. */
  allowRemote: boolean;
  queue: { maxPending: number };
  /** Retries per backend on transient failures (connection refused, 5xx, 429), with exponential backoff. */
  retries: number;
  retryBaseDelayMs: number;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = {
  backends: ["llamacpp"],
  keepAliveMs: 5 * 60_000,
  allowRemote: false,
  queue: { maxPending: 16 },
  retries: 2,
  retryBaseDelayMs: 250,
};

export type EngineConfigInput = Partial<Omit<EngineConfig, "queue">> & {
  queue?: Partial<EngineConfig["queue"]>;
};

export function resolveEngineConfig(base: EngineConfig, patch: EngineConfigInput = {}): EngineConfig {
  const merged: EngineConfig = {
    ...base,
    ...stripUndefined(patch),
    queue: { ...base.queue, ...stripUndefined(patch.queue ?? {}) },
  };
  validateEngineConfig(merged);
  return merged;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateEngineConfig(config: EngineConfig): void {
  if (config.backends.length === 0) {
    throw new AskDbError("INVALID_INPUT", "the engine needs at least one backend", {
      hint: "run `askdb config set backend.order llamacpp` (or `llamacpp,ollama`)",
    });
  }
  for (const kind of config.backends) {
    if (kind !== "llamacpp" && kind !== "ollama" && kind !== "openai") {
      throw new AskDbError("INVALID_INPUT", `unknown engine backend "${String(kind)}"`, {
        hint: "backends are llamacpp, ollama and openai",
      });
    }
  }
  if (config.threads !== undefined && (!Number.isInteger(config.threads) || config.threads < 1)) {
    throw new AskDbError(
      "INVALID_INPUT",
      `engine threads must be a whole number ≥ 1 (got ${config.threads})`,
    );
  }
  if (
    config.contextSize !== undefined &&
    (!Number.isInteger(config.contextSize) || config.contextSize < 64)
  ) {
    throw new AskDbError(
      "INVALID_INPUT",
      `engine context size must be a whole number ≥ 64 (got ${config.contextSize})`,
    );
  }
  if (!Number.isInteger(config.queue.maxPending) || config.queue.maxPending < 0) {
    throw new AskDbError(
      "INVALID_INPUT",
      `engine queue.maxPending must be a whole number ≥ 0 (got ${config.queue.maxPending})`,
    );
  }
}

/** True for localhost, 127.0.0.0/8, ::1: addresses whose traffic never leaves the machine. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    throw new AskDbError("INVALID_INPUT", `not a valid backend URL: ${url}`, {
      hint: "use e.g. http://127.0.0.1:11434",
    });
  }
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

export function assertBackendAllowed(kind: BackendKind, url: string, config: EngineConfig): void {
  if (config.allowRemote || isLoopbackUrl(url)) return;
  throw new AskDbError(
    "REMOTE_NOT_ALLOWED",
    `the ${kind} backend at ${url} is not on this machine; askdb does not send your data off it by default`,
    {
      hint: "to allow it, run `askdb config set privacy.allowRemote true` (your prompts, schema and rows will be sent there)",
    },
  );
}

/**
 * The Ollama or OpenAI-compatible settings of a backend in the fallback order, refused with a
 * hint naming the settings to set when they are missing, or when the host is remote and not allowed.
 */
export function requireRemoteConfig<K extends "ollama" | "openai">(
  kind: K,
  config: EngineConfig,
  exampleUrl: string,
): NonNullable<EngineConfig[K]> {
  const remote = config[kind];
  if (!remote?.url || !remote.model) {
    throw new AskDbError(
      "UNPROCESSABLE",
      `the ${kind} backend is in the fallback order but has no URL and model set`,
      {
        hint: `run \`askdb config set ${kind}.url ${exampleUrl}\` and \`askdb config set ${kind}.model <name>\``,
      },
    );
  }
  assertBackendAllowed(kind, remote.url, config);
  return remote as NonNullable<EngineConfig[K]>;
}
