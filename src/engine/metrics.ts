import { Counter, Gauge, Registry } from "prom-client";
import type { Store } from "../store/index.js";
import type { BackendKind, EngineStatus, GenerationResult } from "./types.js";

/** Per-model figures accumulated across runs (persisted in `model_metrics` when a store is given). */
export interface ModelMetrics {
  model: string;
  backend: BackendKind;
  totalRequests: number;
  successfulRequests: number;
  failedRequests: number;
  promptTokens: number;
  generatedTokens: number;
  /** Generated tokens per second over all successful requests. */
  averageTokensPerSecond: number;
  averagePromptTokensPerSecond: number;
  peakMemoryBytes: number;
  lastLoadMs: number | null;
  updatedAt: string;
}

interface MetricsRow {
  model: string;
  backend: BackendKind;
  total_requests: number;
  successful_requests: number;
  failed_requests: number;
  prompt_tokens: number;
  generated_tokens: number;
  generation_ms: number;
  prompt_ms: number;
  peak_memory_bytes: number;
  last_load_ms: number | null;
  updated_at: string;
}

export interface RequestOutcome {
  model: string;
  backend: BackendKind;
  ok: boolean;
  /** The generation's figures; absent for embeddings and failures. */
  result?: GenerationResult;
  memoryBytes: number;
}

export class MetricsRecorder {
  private readonly rows = new Map<string, MetricsRow>();

  constructor(private readonly store?: Store) {}

  record(outcome: RequestOutcome): void {
    const row = this.row(outcome.model, outcome.backend);
    const result = outcome.result;
    row.total_requests += 1;
    if (!outcome.ok) row.failed_requests += 1;
    else row.successful_requests += 1;
    if (result) {
      row.prompt_tokens += result.promptTokens;
      row.generated_tokens += result.generatedTokens;
      row.prompt_ms += Math.max(0, result.timeToFirstTokenMs - result.loadMs);
      row.generation_ms += Math.max(0, result.totalMs - result.timeToFirstTokenMs);
      if (result.loadMs > 0) row.last_load_ms = result.loadMs;
    }
    row.peak_memory_bytes = Math.max(row.peak_memory_bytes, Math.round(outcome.memoryBytes));
    row.updated_at = new Date().toISOString();
    this.persist(row);
  }

  list(): ModelMetrics[] {
    const rows = this.store
      ? this.store.db.prepare<[], MetricsRow>("SELECT * FROM model_metrics ORDER BY model, backend").all()
      : [...this.rows.values()];
    return rows.map(toModelMetrics);
  }

  private row(model: string, backend: BackendKind): MetricsRow {
    const key = `${backend}\u0000${model}`;
    let row = this.rows.get(key);
    if (!row) {
      row =
        this.store?.db
          .prepare<[string, string], MetricsRow>(
            "SELECT * FROM model_metrics WHERE model = ? AND backend = ?",
          )
          .get(model, backend) ?? emptyRow(model, backend);
      this.rows.set(key, row);
    }
    return row;
  }

  private persist(row: MetricsRow): void {
    this.store?.db
      .prepare(
        `INSERT INTO model_metrics (model, backend, total_requests, successful_requests, failed_requests, prompt_tokens,
           generated_tokens, generation_ms, prompt_ms, peak_memory_bytes, last_load_ms, updated_at)
         VALUES (@model, @backend, @total_requests, @successful_requests, @failed_requests, @prompt_tokens,
           @generated_tokens, @generation_ms, @prompt_ms, @peak_memory_bytes, @last_load_ms, @updated_at)
         ON CONFLICT(model, backend) DO UPDATE SET
           total_requests = excluded.total_requests, successful_requests = excluded.successful_requests,
           failed_requests = excluded.failed_requests, prompt_tokens = excluded.prompt_tokens,
           generated_tokens = excluded.generated_tokens, generation_ms = excluded.generation_ms,
           prompt_ms = excluded.prompt_ms, peak_memory_bytes = excluded.peak_memory_bytes,
           last_load_ms = excluded.last_load_ms, updated_at = excluded.updated_at`,
      )
      .run(row);
  }
}

function emptyRow(model: string, backend: BackendKind): MetricsRow {
  return {
    model,
    backend,
    total_requests: 0,
    successful_requests: 0,
    failed_requests: 0,
    prompt_tokens: 0,
    generated_tokens: 0,
    generation_ms: 0,
    prompt_ms: 0,
    peak_memory_bytes: 0,
    last_load_ms: null,
    updated_at: new Date().toISOString(),
  };
}

function toModelMetrics(row: MetricsRow): ModelMetrics {
  return {
    model: row.model,
    backend: row.backend,
    totalRequests: row.total_requests,
    successfulRequests: row.successful_requests,
    failedRequests: row.failed_requests,
    promptTokens: row.prompt_tokens,
    generatedTokens: row.generated_tokens,
    averageTokensPerSecond: perSecond(row.generated_tokens, row.generation_ms),
    averagePromptTokensPerSecond: perSecond(row.prompt_tokens, row.prompt_ms),
    peakMemoryBytes: row.peak_memory_bytes,
    lastLoadMs: row.last_load_ms,
    updatedAt: row.updated_at,
  };
}

function perSecond(tokens: number, ms: number): number {
  return ms > 0 ? Math.round((tokens * 10_000) / ms) / 10 : 0;
}

type MetricsSource = () => ModelMetrics[];

/**
 * Adds the per-model families (requests by outcome, tokens, speed, peak memory) to a prom-client
 * registry; values are read from `source` at each scrape. The server adds them to its `/metrics`.
 */
export function registerEngineMetrics(registry: Registry, source: MetricsSource): void {
  const labelNames = ["model", "backend"] as const;
  new Counter({
    name: "askdb_engine_requests_total",
    help: "Model requests by model, backend and outcome",
    labelNames: [...labelNames, "outcome"],
    registers: [registry],
    collect() {
      this.reset();
      for (const m of source()) {
        this.inc({ model: m.model, backend: m.backend, outcome: "success" }, m.successfulRequests);
        this.inc({ model: m.model, backend: m.backend, outcome: "failure" }, m.failedRequests);
      }
    },
  });
  const counters: Array<[string, string, (m: ModelMetrics) => number]> = [
    ["askdb_engine_prompt_tokens_total", "Prompt tokens processed", (m) => m.promptTokens],
    ["askdb_engine_generated_tokens_total", "Tokens generated", (m) => m.generatedTokens],
  ];
  for (const [name, help, pick] of counters) {
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const m of source()) this.inc({ model: m.model, backend: m.backend }, pick(m));
      },
    });
  }
  const gauges: Array<[string, string, (m: ModelMetrics) => number]> = [
    ["askdb_engine_tokens_per_second", "Average generation speed", (m) => m.averageTokensPerSecond],
    [
      "askdb_engine_prompt_tokens_per_second",
      "Average prompt evaluation speed",
      (m) => m.averagePromptTokensPerSecond,
    ],
    ["askdb_engine_peak_memory_bytes", "Peak resident memory seen while serving", (m) => m.peakMemoryBytes],
  ];
  for (const [name, help, pick] of gauges) {
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const m of source()) this.set({ model: m.model, backend: m.backend }, pick(m));
      },
    });
  }
}

/** Prometheus text exposition of the engine alone: queue, loaded state and the per-model families. */
export async function renderPrometheus(source: MetricsSource, status: () => EngineStatus): Promise<string> {
  const registry = new Registry();
  registerEngineMetrics(registry, source);
  new Gauge({
    name: "askdb_engine_queue_length",
    help: "Requests waiting for the model",
    registers: [registry],
    collect() {
      this.set(status().queueLength);
    },
  });
  new Gauge({
    name: "askdb_engine_loaded",
    help: "1 when a model is loaded",
    registers: [registry],
    collect() {
      const state = status().state;
      this.set(state === "ready" || state === "busy" ? 1 : 0);
    },
  });
  return registry.metrics();
}
