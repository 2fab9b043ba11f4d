/**
 * The model manager: a catalog of real GGUF models, resolve (catalog id, hf: spec, URL), resumable
 * verified downloads, the local registry (active model per kind), GGUF metadata and memory
 * estimates, and a client for Ollama hosts.
 */
export {
  listCatalog,
  getCatalogEntry,
  findCatalogEntry,
  recommendForMachine,
  CATALOG_TAGS,
  SIZE_CLASSES,
  type CatalogEntry,
  type CatalogFilter,
  type CatalogTag,
  type ModelKind,
  type Recommendation,
  type SizeClass,
} from "./catalog.js";
export {
  resolveModelSpec,
  isUrlModelSpec,
  parseHfSpec,
  DEFAULT_HF_BASE_URL,
  type ResolvedModel,
  type ResolveOptions,
} from "./resolve.js";
export {
  createModelManager,
  type AddOptions,
  type DownloadHandle,
  type DownloadsApi,
  type ModelInfo,
  type ModelManager,
  type ModelManagerOptions,
  type PullOptions,
} from "./manager.js";
export type { DownloadListener, DownloadProgress, DownloadStatus } from "./downloads.js";
export type { InstalledModel, ModelSource } from "./registry.js";
export {
  readGgufSummary,
  estimateGgufMemory,
  describeMemoryEstimate,
  type GgufSummary,
  type MemoryEstimate,
} from "./gguf.js";
export {
  createOllamaClient,
  DEFAULT_OLLAMA_URL,
  type OllamaClient,
  type OllamaHealth,
  type OllamaModel,
  type OllamaRunningModel,
  type OllamaPullProgress,
} from "./ollama-host.js";
