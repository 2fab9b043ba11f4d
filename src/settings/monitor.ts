import { statfs } from "node:fs/promises";
import { availableParallelism, cpus, freemem, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import type { Llama } from "node-llama-cpp";
import type { Store } from "../store/index.js";
import { formatBytes } from "../util/index.js";
import { checkHost, readHostHealth, type HealthProbe, type HostHealth } from "./host-health.js";

export interface ProcessResources {
  pid: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  externalBytes: number;
  uptimeSeconds: number;
}

export interface DiskSpace {
  /** The folder asked about (where models live). */
  path: string;
  /** The folder actually measured: `path`, or its nearest existing parent. */
  measuredPath: string;
  freeBytes: number;
  totalBytes: number;
}

export interface GpuResources {
  type: string;
  devices: string[];
  vram: { totalBytes: number; usedBytes: number; freeBytes: number };
  /** Bytes of VRAM shared with system memory (Apple silicon); 0 elsewhere. */
  unifiedMemoryBytes: number;
}

export interface ModelPerformance {
  model: string;
  backend: string;
  totalRequests: number;
  successfulRequests: number;
  failedRequests: number;
  /** 0–1, null before the first request. */
  successRate: number | null;
  promptTokensPerSecond: number | null;
  tokensPerSecond: number | null;
  peakMemoryBytes: number;
  lastLoadMs: number | null;
  updatedAt: string;
}

export interface ResourceSnapshot {
  takenAt: string;
  process: ProcessResources;
  memory: { totalBytes: number; freeBytes: number; usedPercent: number };
  cpu: { cores: number; model: string; loadAverage: [number, number, number]; loadPerCore: number };
  disk: DiskSpace | null;
  /** null when there is no usable GPU (or GPU probing is off). */
  gpu: GpuResources | null;
  models: ModelPerformance[];
  /** null when no Ollama host is configured and none was ever checked. */
  ollama: HostHealth | null;
  /** Plain-language notes about anything that may get in the way (low disk, failing host …). */
  warnings: string[];
}

export interface ResourceMonitor {
  snapshot(): Promise<ResourceSnapshot>;
  /** Probes the Ollama host now and records the result. Null without a probe. */
  checkOllama(): Promise<HostHealth | null>;
  /** Probes the Ollama host every `intervalMs` until stopped. */
  startOllamaChecks(intervalMs: number): void;
  /** Stops the checks and releases the GPU probe if the monitor loaded it. */
  dispose(): Promise<void>;
}

/** Loads llama.cpp's bindings to read GPU state; return null when there is nothing to read. */
export type LlamaLoader = () => Promise<Llama | null>;

export interface ResourceMonitorOptions {
  store: Store;
  dataDir: string;
  /** Where models live; defaults to <dataDir>/models. */
  modelsDir?: string;
  /** e.g. `() => createOllamaClient(url).health()`; without it the last recorded check is shown. */
  ollamaHealth?: HealthProbe;
  /** The Ollama host's URL, for the record. */
  ollamaUrl?: string;
  /** A check older than this is repeated by `snapshot()`; default 30 s. */
  ollamaMaxAgeMs?: number;
  /**
   * GPU probing: pass the engine's loader to share its instance, false to skip; by default
   * node-llama-cpp is loaded lazily (prebuilt binaries only) on the first snapshot.
   */
  llama?: LlamaLoader | false;
  clock?: () => Date;
}

const OLLAMA_HOST_KEY = "ollama";
const LOW_DISK_BYTES = 2e9;
const LOW_MEMORY_BYTES = 1e9;
const FAILURES_WORTH_A_WARNING = 3;

export function createResourceMonitor(options: ResourceMonitorOptions): ResourceMonitor {
  const { store } = options;
  const clock = options.clock ?? (() => new Date());
  const modelsDir = options.modelsDir ?? join(options.dataDir, "models");
  const maxAgeMs = options.ollamaMaxAgeMs ?? 30_000;
  const ownLoader = options.llama === undefined ? lazyLlama() : undefined;
  const loadLlama = options.llama === false ? undefined : (options.llama ?? ownLoader?.load);
  let timer: NodeJS.Timeout | undefined;

  async function checkOllama(): Promise<HostHealth | null> {
    if (!options.ollamaHealth) return null;
    return checkHost(
      store,
      { host: OLLAMA_HOST_KEY, url: options.ollamaUrl ?? null },
      options.ollamaHealth,
      clock,
    );
  }

  async function ollamaHealth(): Promise<HostHealth | null> {
    const recorded = readHostHealth(store, OLLAMA_HOST_KEY);
    const stale = !recorded || clock().getTime() - Date.parse(recorded.lastCheckAt) > maxAgeMs;
    return options.ollamaHealth && stale ? checkOllama() : recorded;
  }

  return {
    async snapshot() {
      const warnings: string[] = [];
      const [disk, gpu, ollama] = await Promise.all([
        diskSpace(modelsDir),
        loadLlama ? gpuResources(loadLlama, warnings) : null,
        ollamaHealth(),
      ]);
      const snapshot: ResourceSnapshot = {
        takenAt: clock().toISOString(),
        process: processResources(),
        memory: systemMemory(),
        cpu: cpuLoad(),
        disk,
        gpu,
        models: modelPerformance(store),
        ollama,
        warnings,
      };
      warnings.push(...warningsFor(snapshot));
      return snapshot;
    },
    checkOllama,
    startOllamaChecks(intervalMs) {
      if (timer || !options.ollamaHealth) return;
      timer = setInterval(() => void checkOllama(), intervalMs);
      timer.unref();
    },
    async dispose() {
      clearInterval(timer);
      timer = undefined;
      await ownLoader?.dispose();
    },
  };
}

function processResources(): ProcessResources {
  const usage = process.memoryUsage();
  return {
    pid: process.pid,
    rssBytes: usage.rss,
    heapUsedBytes: usage.heapUsed,
    heapTotalBytes: usage.heapTotal,
    externalBytes: usage.external,
    uptimeSeconds: process.uptime(),
  };
}

function systemMemory(): ResourceSnapshot["memory"] {
  const totalBytes = totalmem();
  const freeBytes = freemem();
  return { totalBytes, freeBytes, usedPercent: Math.round((1 - freeBytes / totalBytes) * 1000) / 10 };
}

function cpuLoad(): ResourceSnapshot["cpu"] {
  const cores = availableParallelism();
  const loadAverage = loadavg() as [number, number, number];
  return {
    cores,
    model: cpus()[0]?.model.trim() ?? "unknown",
    loadAverage,
    loadPerCore: loadAverage[0] / cores,
  };
}

/** Free space on the disk holding `path`; measured on the nearest existing parent before it exists. */
async function diskSpace(path: string): Promise<DiskSpace | null> {
  for (let measured = path; ; measured = dirname(measured)) {
    try {
      const stats = await statfs(measured);
      return {
        path,
        measuredPath: measured,
        freeBytes: stats.bavail * stats.bsize,
        totalBytes: stats.blocks * stats.bsize,
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT" || dirname(measured) === measured) return null;
    }
  }
}

function lazyLlama(): { load: LlamaLoader; dispose: () => Promise<void> } {
  let loading: Promise<Llama | null> | undefined;
  return {
    load() {
      loading ??= import("node-llama-cpp").then(({ getLlama }) => getLlama({ build: "never", gpu: "auto" }));
      return loading;
    },
    async dispose() {
      const llama = await loading?.catch(() => null);
      await llama?.dispose();
    },
  };
}

async function gpuResources(load: LlamaLoader, warnings: string[]): Promise<GpuResources | null> {
  try {
    const llama = await load();
    if (!llama || llama.gpu === false) return null;
    const [vram, devices] = await Promise.all([llama.getVramState(), llama.getGpuDeviceNames()]);
    return {
      type: llama.gpu,
      devices,
      vram: { totalBytes: vram.total, usedBytes: vram.used, freeBytes: vram.free },
      unifiedMemoryBytes: vram.unifiedSize,
    };
  } catch (error) {
    warnings.push(`could not read the GPU state: ${(error as Error).message}`);
    return null;
  }
}

/** The engine's persisted per-model figures, as rates. */
function modelPerformance(store: Store): ModelPerformance[] {
  return store.db
    .prepare<[], ModelPerformance>(
      `SELECT model, backend,
         total_requests AS totalRequests,
         successful_requests AS successfulRequests,
         failed_requests AS failedRequests,
         CASE WHEN total_requests > 0 THEN 1.0 * successful_requests / total_requests END AS successRate,
         CASE WHEN prompt_ms > 0 THEN round(prompt_tokens * 1000.0 / prompt_ms, 1) END AS promptTokensPerSecond,
         CASE WHEN generation_ms > 0 THEN round(generated_tokens * 1000.0 / generation_ms, 1) END AS tokensPerSecond,
         peak_memory_bytes AS peakMemoryBytes,
         last_load_ms AS lastLoadMs,
         updated_at AS updatedAt
       FROM model_metrics ORDER BY updated_at DESC`,
    )
    .all();
}

function warningsFor(snapshot: ResourceSnapshot): string[] {
  const warnings: string[] = [];
  const { disk, memory, cpu, ollama } = snapshot;
  if (disk && disk.freeBytes < LOW_DISK_BYTES) {
    warnings.push(
      `only ${formatBytes(disk.freeBytes)} free where models live (${disk.path}); a model needs 1–5 GB`,
    );
  }
  if (memory.freeBytes < LOW_MEMORY_BYTES) {
    warnings.push(
      `only ${formatBytes(memory.freeBytes)} of memory free; a model may load slowly or not at all`,
    );
  }
  if (cpu.loadPerCore > 1.5) {
    warnings.push(
      `the CPU is busy (load ${cpu.loadAverage[0].toFixed(1)} on ${cpu.cores} cores); answers will be slower`,
    );
  }
  if (ollama && ollama.consecutiveFailures >= FAILURES_WORTH_A_WARNING) {
    warnings.push(
      `the Ollama host${ollama.url ? ` at ${ollama.url}` : ""} failed its last ${ollama.consecutiveFailures} checks: ${ollama.error}`,
    );
  }
  return warnings;
}
