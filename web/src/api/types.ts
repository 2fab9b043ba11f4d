/** Shapes of the askdb HTTP API as the web UI uses them (see docs/api.md). */

export interface ApiErrorBody {
  error: { code: string; message: string; hint?: string; details?: Record<string, unknown> };
}

export type ChartType = "bar" | "line" | "pie" | "scatter" | "none";

export interface ChartSpec {
  type: ChartType;
  x?: string;
  y?: string | string[];
  title?: string;
  reason?: string;
}

export type AnswerSource = "model" | "example" | "cache";

export interface Timings {
  retrievalMs?: number;
  generationMs?: number;
  executionMs?: number;
  totalMs?: number;
}

/** A BLOB cell: its size and the start of its bytes. */
export interface BlobCell {
  $blob: number;
  base64Preview: string;
}

export type Cell = string | number | boolean | null | BlobCell;

export interface Answer {
  /** History id, used for feedback. */
  id?: string;
  conversationId?: string;
  question: string;
  sql: string;
  columns: string[];
  /** Row arrays in column order (objects keyed by column are normalised to arrays by the client). */
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  chart: ChartSpec | null;
  source: AnswerSource;
  /** The saved question whose SQL was reused (source "example"). */
  matchedQuestion?: string | null;
  model?: string | null;
  timings: Timings;
}

export interface SqlResult {
  columns: string[];
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  chart?: ChartSpec | null;
  timings?: Timings;
  /** Execution time as some servers report it (same as timings.executionMs). */
  elapsedMs?: number;
}

export type EngineState = "unloaded" | "loading" | "ready" | "busy" | "error";

export interface DatabaseInfo {
  id: string;
  name: string;
  path?: string;
  demo?: boolean;
  tables?: string[];
}

export interface Status {
  modelDownloaded: boolean;
  knowledgeReady: boolean;
  trainingDataLoaded: boolean;
  ready: boolean;
  activeModel: string | null;
  backend: string | null;
  /** `error`: why the engine cannot answer, in plain words, when its state is "error". */
  engine?: { state: EngineState; queueLength: number; model: string | null; error?: string | null };
  database?: DatabaseInfo | null;
  download?: DownloadProgress | null;
}

export type DownloadStatus =
  "idle" | "queued" | "downloading" | "paused" | "verifying" | "completed" | "failed" | "cancelled";

/** `GET /download-progress` (snake_case: fixed by the desktop app). */
export interface DownloadProgress {
  status: DownloadStatus;
  modelId?: string | null;
  downloaded_bytes: number;
  total_bytes: number;
  downloaded_gb: number;
  total_gb: number;
  percentage: number;
  /** Bytes per second. */
  speed: number;
  /** Seconds left, null when unknown. */
  eta: number | null;
  error?: string | null;
  /** No byte came for a few seconds (only known from the downloads event stream). */
  stalled?: boolean;
}

/** A download as `/api/downloads` and its event stream describe it. */
export interface Download {
  id: string;
  modelId: string;
  status: DownloadStatus;
  downloadedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  etaSeconds: number | null;
  error?: { code: string; message: string; hint?: string };
  /** On the event stream: no byte came for a few seconds (the download retries by itself). */
  stalled?: boolean;
}

export interface ModelInfo {
  id: string;
  name: string;
  description?: string;
  sizeBytes: number;
  /** Number of parameters, e.g. 1.5e9. */
  parameters?: number | null;
  quantization?: string | null;
  tags?: string[];
  license?: string | null;
  recommended?: boolean;
  memoryBytes?: number | null;
  fitsInMemory?: boolean;
  installed: boolean;
  active: boolean;
  /** catalog | file | hf | url | ollama */
  source?: string;
  kind?: "llm" | "embedding";
  download?: Download | null;
}

export interface ModelsListing {
  models: ModelInfo[];
  recommended?: string | null;
  totalMemoryBytes?: number;
  /** The Ollama host when it answered or is configured; `ok: false` says why it is unreachable. */
  ollama?: { url: string; ok: boolean; error?: string } | null;
}

export type KnowledgeKind = "ddl" | "documentation" | "question_sql";

export interface KnowledgeItem {
  id: string;
  kind: KnowledgeKind;
  content: string;
  question?: string | null;
  title?: string | null;
  source?: string;
  createdAt?: string;
}

export interface HistoryEntry {
  id: string;
  conversationId?: string | null;
  question: string;
  sql?: string | null;
  source?: AnswerSource | null;
  rowCount?: number | null;
  error?: string | null;
  model?: string | null;
  createdAt: string;
}

/** Settings by dotted key ("backend.kind", "engine.threads", …). */
export type Settings = Record<string, unknown>;

export interface SettingDetail {
  key: string;
  value: unknown;
  default: unknown;
  /** default | stored | env | flag */
  source: string;
  description: string;
  allowed: string;
}

export interface SettingsResponse {
  settings: Settings;
  details: SettingDetail[];
}

export interface FeatureFlag {
  id: string;
  name: string;
  description: string;
  phase: string;
  enabled: boolean;
}

/** Events of `POST /query` with `Accept: text/event-stream`. */
export type QueryEvent =
  | { type: "retrieving" }
  | { type: "generating"; token?: string }
  | { type: "executing"; sql?: string }
  | { type: "answer"; answer: Answer }
  | { type: "error"; error: ApiErrorBody["error"] };

/** A paired browser extension (GET /api/extension/connections). */
export interface ExtensionConnection {
  id: string;
  origin: string;
  browser: string;
  tabCount: number;
  requestCount: number;
  establishedAt: string;
  lastActivityAt: string;
}

export interface ExtensionConnections {
  enabled: boolean;
  count: number;
  connections: ExtensionConnection[];
}
