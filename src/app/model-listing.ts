import { totalmem } from "node:os";
import {
  createOllamaClient,
  listCatalog,
  recommendForMachine,
  type CatalogEntry,
  type DownloadProgress,
  type InstalledModel,
  type ModelManager,
  type OllamaModel,
} from "../models/index.js";
import { AskDbError, toAskDbError } from "../errors/index.js";
import type { SettingsService } from "../settings/index.js";
import { isOllamaConfigured } from "./engine-config.js";
import type { ModelListItem, ModelListing } from "./types.js";

/** Ids of models served by the configured Ollama host: `ollama:<name>`. */
export const OLLAMA_ID_PREFIX = "ollama:";

const FINISHED = new Set(["completed", "cancelled", "failed"]);

/**
 * The catalog and the installed models in one list: catalog order first, then models added by
 * hand, then the Ollama host's models when Ollama is configured.
 */
export async function listModels(models: ModelManager, settings: SettingsService): Promise<ModelListing> {
  const totalMemoryBytes = totalmem();
  const installed = new Map(models.list().map((model) => [model.id, model]));
  const downloads = latestDownloadByModel(models.downloads.list());
  const fromCatalog = listCatalog().map((entry) =>
    catalogItem(entry, installed.get(entry.id), downloads.get(entry.id), totalMemoryBytes),
  );
  const catalogIds = new Set(fromCatalog.map((item) => item.id));
  const extra = [...installed.values()]
    .filter((model) => !catalogIds.has(model.id))
    .map((model) => installedItem(model, downloads.get(model.id)));
  const ollama = await listOllama(settings);
  return {
    models: [...fromCatalog, ...extra, ...ollama.models],
    recommended: recommendForMachine().entry.id,
    totalMemoryBytes,
    ollama: ollama.status,
  };
}

/** How long the models list waits for the Ollama host: a host that is down must not slow the page. */
const OLLAMA_LIST_TIMEOUT_MS = 1500;

/**
 * The Ollama host's models when it answers in time. A host the user configured (Ollama among the
 * backends, a model on it chosen, or `ollama.url` set) is reported as unreachable when it does
 * not answer; the default address is only tried quietly, for users who run Ollama anyway.
 */
async function listOllama(
  settings: SettingsService,
): Promise<{ models: ModelListItem[]; status: ModelListing["ollama"] }> {
  const url = settings.get("ollama.url");
  const configured = isOllamaConfigured(settings) || isSetByUser(settings, "ollama.url");
  try {
    const found = await withTimeout(createOllamaClient(url).listModels(), OLLAMA_LIST_TIMEOUT_MS, url);
    const active = settings.get("backend.order")[0] === "ollama" ? settings.get("ollama.model") : null;
    return {
      models: found.map((model) => ollamaItem(model, model.name === active)),
      status: { url, ok: true },
    };
  } catch (error) {
    return { models: [], status: configured ? { url, ok: false, error: toAskDbError(error).message } : null };
  }
}

function isSetByUser(settings: SettingsService, key: string): boolean {
  return settings.describe().some((setting) => setting.key === key && setting.source !== "default");
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number, url: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AskDbError(
            "BACKEND_UNAVAILABLE",
            `the Ollama host at ${url} did not answer within ${timeoutMs / 1000} s`,
          ),
        ),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function ollamaItem(model: OllamaModel, active: boolean): ModelListItem {
  return {
    id: `${OLLAMA_ID_PREFIX}${model.name}`,
    name: model.name,
    description: `Served by Ollama${model.family ? ` (${model.family})` : ""}`,
    kind: "llm",
    sizeBytes: model.sizeBytes,
    parameters: null,
    quantization: model.quantization ?? null,
    tags: model.parameterSize ? [model.parameterSize] : [],
    license: null,
    recommended: false,
    memoryBytes: null,
    fitsInMemory: true,
    installed: true,
    active,
    source: "ollama",
    download: null,
  };
}

function catalogItem(
  entry: CatalogEntry,
  installed: InstalledModel | undefined,
  download: DownloadProgress | undefined,
  totalMemoryBytes: number,
): ModelListItem {
  return {
    id: entry.id,
    name: entry.name,
    description: entry.description,
    kind: entry.kind,
    sizeBytes: installed?.sizeBytes ?? entry.sizeBytes,
    parameters: entry.parameters,
    quantization: entry.quantization,
    tags: entry.tags,
    license: entry.license,
    recommended: entry.recommended,
    memoryBytes: entry.minRamBytes,
    fitsInMemory: entry.minRamBytes <= totalMemoryBytes,
    installed: installed !== undefined,
    active: installed?.active ?? false,
    source: installed?.source ?? "catalog",
    download: download ?? null,
  };
}

function installedItem(model: InstalledModel, download: DownloadProgress | undefined): ModelListItem {
  return {
    id: model.id,
    name: model.name,
    description: model.sourceRef ? `Added from ${model.sourceRef}` : "Added by hand",
    kind: model.kind,
    sizeBytes: model.sizeBytes,
    parameters: null,
    quantization: null,
    tags: [],
    license: null,
    recommended: false,
    memoryBytes: null,
    fitsInMemory: true,
    installed: true,
    active: model.active,
    source: model.source,
    download: download ?? null,
  };
}

/** The newest unfinished download per model, else the newest one. */
function latestDownloadByModel(downloads: DownloadProgress[]): Map<string, DownloadProgress> {
  const byModel = new Map<string, DownloadProgress>();
  for (const download of downloads) {
    const seen = byModel.get(download.modelId);
    if (!seen || (FINISHED.has(seen.status) && !FINISHED.has(download.status)))
      byModel.set(download.modelId, download);
  }
  return byModel;
}
