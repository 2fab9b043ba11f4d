import { totalmem } from "node:os";
import { listCatalog, recommendForMachine, type CatalogEntry, type DownloadProgress, type InstalledModel, type ModelManager } from "../models/index.js";
import type { ModelListItem, ModelListing } from "./types.js";

const FINISHED = new Set(["completed", "cancelled", "failed"]);

/** The catalog and the installed models in one list: catalog order first, then models added by hand. */
export function listModels(models: ModelManager): ModelListing {
  const totalMemoryBytes = totalmem();
  const installed = new Map(models.list().map((model) => [model.id, model]));
  const downloads = latestDownloadByModel(models.downloads.list());
  const fromCatalog = listCatalog().map((entry) => catalogItem(entry, installed.get(entry.id), downloads.get(entry.id), totalMemoryBytes));
  const catalogIds = new Set(fromCatalog.map((item) => item.id));
  const extra = [...installed.values()]
    .filter((model) => !catalogIds.has(model.id))
    .map((model) => installedItem(model, downloads.get(model.id)));
  return { models: [...fromCatalog, ...extra], recommended: recommendForMachine().entry.id, totalMemoryBytes };
}

function catalogItem(entry: CatalogEntry, installed: InstalledModel | undefined, download: DownloadProgress | undefined, totalMemoryBytes: number): ModelListItem {
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
    if (!seen || (FINISHED.has(seen.status) && !FINISHED.has(download.status))) byModel.set(download.modelId, download);
  }
  return byModel;
}
