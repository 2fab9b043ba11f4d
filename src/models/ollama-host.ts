/**
 * The client for an Ollama host the user already runs: list, pull, running models, health. Chat,
 * generation and embeddings through Ollama are the engine's backend (src/engine/backends/ollama.ts).
 */
import { request } from "undici";
import { AskDbError } from "../errors/index.js";
import { httpDispatcher } from "./http.js";

export const DEFAULT_OLLAMA_URL = "http://127.0.0.1:11434";

export interface OllamaModel {
  name: string;
  sizeBytes: number;
  digest: string;
  modifiedAt: string;
  family?: string;
  parameterSize?: string;
  quantization?: string;
}

/** A model Ollama holds in memory now (`/api/ps`). */
export interface OllamaRunningModel {
  name: string;
  sizeBytes: number;
  vramBytes?: number;
  expiresAt?: string;
}

export interface OllamaPullProgress {
  status: string;
  digest?: string;
  completedBytes?: number;
  totalBytes?: number;
  percent?: number;
}

export interface OllamaHealth {
  ok: boolean;
  responseMs: number;
  version?: string;
  error?: string;
}

export interface OllamaClient {
  readonly baseUrl: string;
  listModels(): Promise<OllamaModel[]>;
  runningModels(): Promise<OllamaRunningModel[]>;
  pull(
    name: string,
    onProgress?: (progress: OllamaPullProgress) => void,
    signal?: AbortSignal,
  ): Promise<void>;
  health(): Promise<OllamaHealth>;
}

interface TagsResponse {
  models?: Array<{
    name: string;
    size: number;
    digest: string;
    modified_at: string;
    details?: { family?: string; parameter_size?: string; quantization_level?: string };
  }>;
}

interface PullLine {
  status?: string;
  digest?: string;
  total?: number;
  completed?: number;
  error?: string;
}

/** A client for an Ollama host (`/api/tags`, `/api/ps`, `/api/pull`, `/api/version`), for users who already run one. */
export function createOllamaClient(
  baseUrl: string = process.env.OLLAMA_HOST ? normalizeHost(process.env.OLLAMA_HOST) : DEFAULT_OLLAMA_URL,
): OllamaClient {
  const base = normalizeHost(baseUrl);

  async function call(
    path: string,
    init: { method?: "GET" | "POST"; body?: string; signal?: AbortSignal; timeoutMs?: number } = {},
  ) {
    let response;
    try {
      response = await request(`${base}${path}`, {
        method: init.method ?? "GET",
        body: init.body,
        headers: init.body ? { "content-type": "application/json" } : {},
        dispatcher: httpDispatcher(),
        signal: init.signal,
        headersTimeout: init.timeoutMs ?? 10_000,
        bodyTimeout: init.timeoutMs ?? 0,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new AskDbError(
        "BACKEND_UNAVAILABLE",
        `cannot reach Ollama at ${base}: ${(error as Error).message}`,
        {
          hint: "start Ollama (`ollama serve`) or set the right host URL",
          cause: error,
        },
      );
    }
    if (response.statusCode >= 400) {
      const text = await response.body.text();
      const message = parseError(text) ?? `HTTP ${response.statusCode}`;
      throw new AskDbError(
        response.statusCode === 404 ? "NOT_FOUND" : "BACKEND_UNAVAILABLE",
        `Ollama at ${base}: ${message}`,
        {
          hint:
            response.statusCode === 404
              ? "check the model name on ollama.com/library"
              : "check the Ollama server's log",
        },
      );
    }
    return response;
  }

  return {
    baseUrl: base,

    async listModels() {
      const response = await call("/api/tags");
      const body = (await response.body.json()) as TagsResponse;
      return (body.models ?? []).map((model) => ({
        name: model.name,
        sizeBytes: model.size,
        digest: model.digest,
        modifiedAt: model.modified_at,
        family: model.details?.family,
        parameterSize: model.details?.parameter_size,
        quantization: model.details?.quantization_level,
      }));
    },

    async runningModels() {
      const response = await call("/api/ps");
      const body = (await response.body.json()) as {
        models?: Array<{ name: string; size: number; size_vram?: number; expires_at?: string }>;
      };
      return (body.models ?? []).map((model) => ({
        name: model.name,
        sizeBytes: model.size,
        vramBytes: model.size_vram,
        expiresAt: model.expires_at,
      }));
    },

    async pull(name, onProgress, signal) {
      if (!name.trim())
        throw new AskDbError("INVALID_INPUT", "no Ollama model name given", {
          hint: "e.g. qwen2.5-coder:1.5b",
        });
      const response = await call("/api/pull", {
        method: "POST",
        body: JSON.stringify({ model: name, stream: true }),
        signal,
      });
      let buffered = "";
      let succeeded = false;
      for await (const chunk of response.body) {
        buffered += (chunk as Buffer).toString("utf8");
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) succeeded = handlePullLine(line, name, onProgress) || succeeded;
      }
      succeeded = handlePullLine(buffered, name, onProgress) || succeeded;
      if (!succeeded) {
        throw new AskDbError("DOWNLOAD_FAILED", `Ollama stopped pulling ${name} before it finished`, {
          hint: "run the pull again; Ollama resumes it",
        });
      }
    },

    async health() {
      const started = performance.now();
      try {
        const response = await call("/api/version", { timeoutMs: 5000 });
        const body = (await response.body.json()) as { version?: string };
        return { ok: true, responseMs: performance.now() - started, version: body.version };
      } catch (error) {
        return { ok: false, responseMs: performance.now() - started, error: (error as Error).message };
      }
    },
  };
}

/** Handles one NDJSON line of `/api/pull`; true when it reports success. */
function handlePullLine(
  line: string,
  name: string,
  onProgress?: (progress: OllamaPullProgress) => void,
): boolean {
  if (!line.trim()) return false;
  let parsed: PullLine;
  try {
    parsed = JSON.parse(line) as PullLine;
  } catch {
    return false;
  }
  if (parsed.error) {
    throw new AskDbError("DOWNLOAD_FAILED", `Ollama could not pull ${name}: ${parsed.error}`, {
      hint: "check the model name on ollama.com/library",
    });
  }
  const total = parsed.total;
  const completed = parsed.completed ?? (total !== undefined ? 0 : undefined);
  onProgress?.({
    status: parsed.status ?? "",
    ...(parsed.digest ? { digest: parsed.digest } : {}),
    ...(completed !== undefined ? { completedBytes: completed } : {}),
    ...(total !== undefined
      ? { totalBytes: total, percent: total > 0 ? Math.round(((completed ?? 0) / total) * 1000) / 10 : 0 }
      : {}),
  });
  return parsed.status === "success";
}

function parseError(text: string): string | undefined {
  try {
    return (JSON.parse(text) as { error?: string }).error;
  } catch {
    return text.trim() || undefined;
  }
}

/** Accepts `host:port`, `http://host:port/` and the OLLAMA_HOST forms. */
function normalizeHost(value: string): string {
  const withScheme = /^https?:\/\//i.test(value) ? value : `http://${value}`;
  return withScheme.replace(/\/+$/, "");
}
