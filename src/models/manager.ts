import { statSync } from "node:fs";
import { copyFile, mkdir, rename, rm, stat, unlink } from "node:fs/promises";
import { basename, join, resolve as resolvePath } from "node:path";
import type { Llama } from "node-llama-cpp";
import { AskDbError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import { formatBytes } from "../util/index.js";
import type { ModelKind } from "./catalog.js";
import {
  DownloadQueue,
  freeDiskBytes,
  type DownloadListener,
  type DownloadPlan,
  type DownloadProgress,
} from "./downloads.js";
import { sha256OfFile } from "./hash.js";
import {
  estimateGgufMemory,
  preloadGgufReader,
  readGgufSummary,
  type GgufSummary,
  type MemoryEstimate,
} from "./gguf.js";
import { ModelRegistry, type InstalledModel } from "./registry.js";
import { modelIdFromFileName, resolveModelSpec, type ResolvedModel } from "./resolve.js";
import type { TransferResult } from "./transfer.js";

export interface ModelManagerOptions {
  store: Store;
  /** Where downloaded models are kept (default `<dataDir>/models`). */
  modelsDir?: string;
  /** The engine says whether a model is loaded; a loaded model cannot be removed. */
  isInUse?: (id: string) => boolean;
  hfToken?: string;
  hfBaseUrl?: string;
  maxParallelDownloads?: number;
  stallTimeoutMs?: number;
  retries?: number;
  retryBaseDelayMs?: number;
  progressIntervalMs?: number;
  /** Free bytes on the disk holding `dir` (default: statfs); replaceable to test DISK_FULL. */
  freeDiskBytes?: (dir: string) => Promise<number>;
  /** A llama.cpp binding to reuse for memory estimates. */
  llama?: Llama;
}

export interface PullOptions {
  /** Expected sha256 (required to be verifiable for plain URLs). */
  sha256?: string;
  signal?: AbortSignal;
}

export interface DownloadHandle {
  /** The download job id (empty when the model was already installed). */
  id: string;
  modelId: string;
  alreadyInstalled: boolean;
  progress: DownloadProgress | undefined;
  /** Resolves with the installed model once verified; rejects with a typed error. */
  done: Promise<InstalledModel>;
}

export interface AddOptions {
  /** Copy the file into the models directory instead of registering it where it is. */
  copy?: boolean;
  id?: string;
  kind?: ModelKind;
}

export interface ModelInfo {
  model?: InstalledModel;
  path: string;
  sizeBytes: number;
  gguf: GgufSummary;
}

export interface DownloadsApi {
  list(): DownloadProgress[];
  get(id: string): DownloadProgress | undefined;
  wait(id: string): Promise<InstalledModel>;
  pause(id: string): Promise<DownloadProgress>;
  resume(id: string): DownloadProgress;
  cancel(id: string, options?: { discard?: boolean }): Promise<DownloadProgress>;
  subscribe(listener: DownloadListener): () => void;
}

export interface ModelManager {
  readonly modelsDir: string;
  list(): InstalledModel[];
  get(id: string): InstalledModel | undefined;
  pull(spec: string, options?: PullOptions): Promise<DownloadHandle>;
  readonly downloads: DownloadsApi;
  remove(id: string): Promise<InstalledModel>;
  activate(id: string): InstalledModel;
  getActive(kind: ModelKind): InstalledModel | undefined;
  /** The engine calls this when it loads a model (last used, use count). */
  markUsed(id: string): void;
  add(filePath: string, options?: AddOptions): Promise<InstalledModel>;
  info(idOrFile: string): Promise<ModelInfo>;
  estimateMemory(idOrFile: string, options?: { contextSize?: number }): Promise<MemoryEstimate>;
  /** Pauses running downloads (their `.part` files stay resumable). */
  close(): Promise<void>;
}

export function createModelManager(options: ModelManagerOptions): ModelManager {
  const modelsDir = resolvePath(options.modelsDir ?? join(options.store.dataDir, "models"));
  const partsDir = join(modelsDir, ".downloads");
  const registry = new ModelRegistry(options.store);
  const isInUse = options.isInUse ?? (() => false);
  const hfToken = options.hfToken ?? process.env.HF_TOKEN;
  let dirsReady: Promise<unknown> | undefined;
  const ensureDirs = () => (dirsReady ??= mkdir(partsDir, { recursive: true }));

  const queue = new DownloadQueue({
    store: options.store,
    modelsDir,
    partsDir,
    maxParallel: options.maxParallelDownloads ?? 2,
    stallTimeoutMs: options.stallTimeoutMs ?? 30_000,
    retries: options.retries ?? 5,
    retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
    progressIntervalMs: options.progressIntervalMs ?? 200,
    headersFor: (plan): Record<string, string> =>
      hfToken && plan.source !== "url" ? { authorization: `Bearer ${hfToken}` } : {},
    freeDiskBytes: options.freeDiskBytes ?? freeDiskBytes,
    install: (plan, partPath, result) => install(plan, partPath, result),
  });

  async function install(
    plan: DownloadPlan,
    partPath: string,
    result: TransferResult,
  ): Promise<InstalledModel> {
    const gguf = await verifyDownload(plan, partPath, result);
    const target = await freeTargetPath(plan.fileName);
    await rename(partPath, target);
    return registry.insert({
      id: registry.freeId(plan.modelId),
      name: plan.name,
      kind: gguf.isEmbeddingModel ? "embedding" : plan.kind,
      path: target,
      sizeBytes: result.bytes,
      sha256: result.sha256,
      source: plan.source,
      sourceRef: plan.sourceRef,
      ownsFile: true,
      gguf,
    });
  }

  /** A file name in the models dir that no registered model uses (an unregistered leftover is replaced). */
  async function freeTargetPath(fileName: string): Promise<string> {
    const dot = fileName.toLowerCase().endsWith(".gguf") ? fileName.length - 5 : fileName.length;
    let candidate = join(modelsDir, fileName);
    for (let n = 2; registry.findByPath(candidate); n += 1) {
      candidate = join(modelsDir, `${fileName.slice(0, dot)}-${n}${fileName.slice(dot)}`);
    }
    return candidate;
  }

  async function pull(spec: string, pullOptions: PullOptions = {}): Promise<DownloadHandle> {
    const plan = await resolveModelSpec(spec, {
      hfToken,
      hfBaseUrl: options.hfBaseUrl,
      sha256: pullOptions.sha256,
      signal: pullOptions.signal,
    });
    const installed = installedCopyOf(plan);
    if (installed) {
      return {
        id: "",
        modelId: installed.id,
        alreadyInstalled: true,
        progress: undefined,
        done: Promise.resolve(installed),
      };
    }
    await ensureDirs();
    const job = await queue.enqueue(plan);
    preloadGgufReader();
    return {
      id: job.id,
      modelId: plan.modelId,
      alreadyInstalled: false,
      progress: queue.get(job.id),
      done: queue.wait(job.id),
    };
  }

  /** The same file already installed and still on disk (a registration whose file vanished is dropped). */
  function installedCopyOf(plan: ResolvedModel): InstalledModel | undefined {
    const candidates = registry
      .list()
      .filter(
        (model) =>
          model.sourceRef === plan.sourceRef || (plan.sha256 !== null && model.sha256 === plan.sha256),
      );
    for (const model of candidates) {
      if (fileExists(model.path)) return model;
      registry.remove(model.id);
    }
    return undefined;
  }

  function requireModel(id: string): InstalledModel {
    const model = registry.get(id);
    if (!model) {
      throw new AskDbError("NOT_FOUND", `no installed model "${id}"`, {
        hint: "run `askdb models list --installed` to see installed models, or `askdb models pull <id>` to get one",
      });
    }
    return model;
  }

  async function remove(id: string): Promise<InstalledModel> {
    const model = requireModel(id);
    if (isInUse(id)) {
      throw new AskDbError("CONFLICT", `${id} is loaded and in use, so it cannot be removed now`, {
        hint: "unload it first (stop `askdb serve`, or switch models with `askdb models use <other>`), then remove it",
      });
    }
    registry.remove(id);
    if (model.ownsFile) await rm(model.path, { force: true });
    // Removing the active model hands the role to the newest remaining one of its kind.
    const successor = model.active
      ? registry
          .list()
          .filter((m) => m.kind === model.kind)
          .pop()
      : undefined;
    if (successor) registry.activate(successor.id);
    return model;
  }

  function activate(id: string): InstalledModel {
    const model = requireModel(id);
    if (!fileExists(model.path)) {
      throw new AskDbError("NOT_FOUND", `the file of ${id} is missing: ${model.path}`, {
        hint:
          model.source === "file"
            ? `put the file back, or register it again with \`askdb models add <file>\``
            : `run \`askdb models pull ${model.sourceRef ?? id}\` to download it again`,
      });
    }
    registry.activate(id);
    return registry.get(id)!;
  }

  async function add(filePath: string, addOptions: AddOptions = {}): Promise<InstalledModel> {
    const source = resolvePath(filePath);
    const gguf = await readGgufSummary(source);
    const already = registry.findByPath(source);
    if (already) return already;
    const { size } = await stat(source);
    const sha256 = await sha256OfFile(source);
    let path = source;
    if (addOptions.copy) {
      await ensureDirs();
      path = await freeTargetPath(basename(source));
      await copyFile(source, `${path}.copying`);
      await rename(`${path}.copying`, path);
    }
    const id = addOptions.id ?? registry.freeId(modelIdFromFileName(basename(source)));
    if (addOptions.id && registry.get(addOptions.id)) {
      throw new AskDbError("CONFLICT", `a model with id "${addOptions.id}" is already installed`, {
        hint: "choose another --id, or remove the existing one first",
      });
    }
    return registry.insert({
      id,
      name: gguf.name ?? basename(source).replace(/\.gguf$/i, ""),
      kind: addOptions.kind ?? (gguf.isEmbeddingModel ? "embedding" : "llm"),
      path,
      sizeBytes: size,
      sha256,
      source: "file",
      sourceRef: source,
      ownsFile: Boolean(addOptions.copy),
      gguf,
    });
  }

  /** An installed model id, or a path to a .gguf file. */
  function pathOf(idOrFile: string): { path: string; model?: InstalledModel } {
    const model = registry.get(idOrFile);
    if (model) return { path: model.path, model };
    if (fileExists(idOrFile)) return { path: resolvePath(idOrFile) };
    throw new AskDbError("NOT_FOUND", `"${idOrFile}" is neither an installed model nor a file`, {
      hint: "run `askdb models list --installed`, or give the path of a .gguf file",
    });
  }

  async function info(idOrFile: string): Promise<ModelInfo> {
    const { path, model } = pathOf(idOrFile);
    const gguf = await readGgufSummary(path);
    const { size } = await stat(path);
    return { ...(model ? { model } : {}), path, sizeBytes: size, gguf };
  }

  return {
    modelsDir,
    list: () => registry.list(),
    get: (id) => registry.get(id),
    pull,
    downloads: {
      list: () => queue.list(),
      get: (id) => queue.get(id),
      wait: (id) => queue.wait(id),
      pause: (id) => queue.pause(id),
      resume: (id) => queue.resume(id),
      cancel: (id, cancelOptions) => queue.cancel(id, cancelOptions),
      subscribe: (listener) => queue.subscribe(listener),
    },
    remove,
    activate,
    getActive: (kind) => registry.getActive(kind),
    markUsed: (id) => registry.markUsed(id),
    add,
    info,
    estimateMemory: (idOrFile, estimateOptions = {}) =>
      estimateGgufMemory(pathOf(idOrFile).path, { ...estimateOptions, llama: options.llama }),
    close: () => queue.close(),
  };
}

async function verifyDownload(
  plan: DownloadPlan,
  partPath: string,
  result: TransferResult,
): Promise<GgufSummary> {
  const again = `run \`askdb models pull ${plan.sourceRef}\` to download it again`;
  try {
    if (plan.sizeBytes !== null && result.bytes !== plan.sizeBytes) {
      throw new AskDbError(
        "INTEGRITY_FAILED",
        `${plan.fileName} is ${formatBytes(result.bytes)} but should be ${formatBytes(plan.sizeBytes)}; it was not installed`,
        { hint: again },
      );
    }
    if (plan.sha256 !== null && result.sha256 !== plan.sha256) {
      throw new AskDbError(
        "INTEGRITY_FAILED",
        `${plan.fileName} failed its checksum (sha256 ${result.sha256}, expected ${plan.sha256}); it was not installed`,
        {
          hint: `the download was corrupted or the file changed upstream; ${again}`,
        },
      );
    }
    return await readGgufSummary(partPath);
  } catch (error) {
    // A file that failed verification is useless for a resume: remove it so the next pull starts clean.
    await unlink(partPath).catch(() => undefined);
    if (error instanceof AskDbError && error.code === "MODEL_INVALID") {
      throw new AskDbError(
        "MODEL_INVALID",
        `the download of ${plan.fileName} is not a GGUF model file; it was not installed`,
        {
          hint: "check the URL or repository: askdb needs a .gguf file (llama.cpp format)",
          cause: error,
        },
      );
    }
    throw error;
  }
}

function fileExists(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
