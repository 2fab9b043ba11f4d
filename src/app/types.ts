import type { ManagedEngine } from "../engine/index.js";
import type { BrowserExtensions, PageContexts } from "../extension/index.js";
import type {
  CatalogEntry,
  DownloadHandle,
  DownloadProgress,
  InstalledModel,
  ModelManager,
} from "../models/index.js";
import type { FeatureFlags, ResourceMonitor, SettingsService, SweepResult } from "../settings/index.js";
import type {
  Answer,
  AskEvent,
  ChartSpec,
  DatabaseSchema,
  DatabaseTools,
  HistoryEntry,
  KnowledgeItem,
  KnowledgeKind,
  NewKnowledge,
  QueryResult,
  TextToSql,
} from "../sql/index.js";
import type { Store } from "../store/index.js";
import type { WarmStatus } from "./prewarm.js";

export type { WarmState, WarmStatus } from "./prewarm.js";

export interface AskDbOptions {
  /** askdb's state folder (models, history, settings). Default: $ASKDB_HOME or the OS app-data folder. */
  dataDir?: string;
  /** The user's SQLite database. Default: the demo database (built on first use). */
  db?: string;
  /** Told about slow one-time work, e.g. "building the demo database (first run only)…". */
  onProgress?: (message: string) => void;
  /** Where the pipeline's timing lines go ("[SQL Gen]: 1.71s"); default: nowhere. */
  logger?: { info(line: string): void };
  /** Environment read for ASKDB_* setting overrides; default process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * "service" (default: `askdb serve`, MCP, the sidecar, a library user): history retention is swept
   * on its schedule and a configured Ollama host's health is watched. "command": a one-shot CLI
   * command; nothing is left running in the background.
   */
  mode?: "service" | "command";
  /** False: open no database (commands about models and settings); what needs one then refuses. */
  openDatabase?: boolean;
  /**
   * Answer with this model instead of the active one: an installed model id or a GGUF file. Local
   * llama.cpp is then tried first, whatever `backend.order` says.
   */
  model?: string;
  /** Where models are stored, instead of the `models.dir` setting. */
  modelsDir?: string;
  /**
   * Keep training data, history and cached answers in a scratch store that is deleted on close
   * (an evaluation: the user's own training is neither used nor changed). Models and settings stay.
   */
  scratchKnowledge?: boolean;
}

/** A one-line-per-part summary for banners and `askdb status`. */
export interface AskDbSummary {
  database: string;
  model: string;
}

export interface DatabaseInfo {
  id: string;
  name: string;
  path: string;
  /** True for askdb's own demo database. */
  demo: boolean;
}

/** One catalog entry or installed model, merged, as the models page shows it. */
export interface ModelListItem {
  id: string;
  name: string;
  description: string;
  kind: "llm" | "embedding";
  sizeBytes: number;
  parameters: number | null;
  quantization: string | null;
  tags: string[];
  license: string | null;
  recommended: boolean;
  /** Memory the model needs to run (catalog figure), when known. */
  memoryBytes: number | null;
  fitsInMemory: boolean;
  installed: boolean;
  active: boolean;
  source: string;
  download: DownloadProgress | null;
}

export interface ModelListing {
  models: ModelListItem[];
  recommended: string | null;
  totalMemoryBytes: number;
  /**
   * The Ollama host, when it answered or the user configured it (its models are listed as
   * `ollama:<name>`); `ok: false` with the reason when a configured host is unreachable. Else null.
   */
  ollama: { url: string; ok: boolean; error?: string } | null;
}

export interface AskDbStatus {
  modelDownloaded: boolean;
  knowledgeReady: boolean;
  trainingDataLoaded: boolean;
  ready: boolean;
  activeModel: string | null;
  backend: string;
  /** `error` says in plain words why the engine cannot answer (state "error"), else null. */
  engine: { state: string; model: string | null; queueLength: number; error: string | null };
  database: DatabaseInfo;
  /** The background load of the model and the database's prompt that `prewarm()` starts. */
  warmup: WarmStatus;
}

export interface AskOptions {
  /** Continue this conversation (follow-ups such as "and last year?"); a new one is started otherwise. */
  conversationId?: string;
  signal?: AbortSignal;
  /** Progress while the answer is produced: retrieving → generating (tokens) → executing → answer. */
  onEvent?: (event: AskEvent) => void;
  /**
   * Untrusted text from a browser page (already filtered by the privacy settings): searched for the
   * database values it names, never put in the instructions. Such an answer is not cached.
   */
  context?: string;
  /** Most rows returned (default: the `query.maxRows` setting). */
  maxRows?: number;
  /** Decode under the SQL grammar (default: the `query.grammar` setting). */
  useGrammar?: boolean;
  /** Retrieve trained question/SQL pairs and reuse a near-duplicate's SQL (default true). */
  useExamples?: boolean;
  /** Further tries when the first SQL fails or finds no rows (default true). */
  useRepair?: boolean;
  /** Answer from (and store into) the answer cache (default true). */
  useCache?: boolean;
}

/** A query's rows plus the chart that suits them. */
export type SqlRun = QueryResult & { chart: ChartSpec };

export type FeedbackInput =
  { historyId: string; verdict: "correct" } | { historyId: string; verdict: "corrected"; sql: string };

export interface KnowledgeQuery {
  kind?: KnowledgeKind;
  /** Text searched in questions, content and titles. */
  q?: string;
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface SwitchDatabaseOptions {
  /**
   * Refuse (FORBIDDEN, whether the file exists or not) a database the person did not connect: only
   * the one askdb started with, the demo and those in `databases.allowed` pass, never another file in
   * askdb's data folder. The HTTP API asks for this; the CLI and library callers are the person.
   */
  onlyConnected?: boolean;
}

export interface SqlRunOptions {
  /** Most rows returned (default: the `query.maxRows` setting). */
  limit?: number;
  /** Stop the query after this long (default: the `query.timeoutMs` setting). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** askdb in-process: everything the CLI, the HTTP server, MCP and library users do goes through this. */
export interface AskDb {
  readonly version: string;
  readonly dataDir: string;
  readonly store: Store;
  readonly engine: ManagedEngine;
  readonly models: ModelManager;
  readonly settings: SettingsService;
  readonly flags: FeatureFlags;
  readonly monitor: ResourceMonitor;
  /** Paired browser extensions (flag `browser_extension`). */
  readonly extensions: BrowserExtensions;
  /** Page contexts the extension sent, kept by `extension.contextRetention`. */
  readonly pageContexts: PageContexts;
  /** The text-to-SQL pipeline over any database file (evaluation asks across many). */
  readonly textToSql: TextToSql;

  /** The catalog, the installed models and the Ollama host's models, merged, with memory fit. */
  listModels(): Promise<ModelListing>;
  /** Queues a download (default: the model recommended for this machine) and returns at once. */
  pullModel(spec?: string): Promise<DownloadHandle>;
  /**
   * Makes a model the one that answers: an installed model (local llama.cpp goes first in
   * `backend.order`) or `ollama:<name>` (Ollama goes first, with that model).
   */
  activateModel(id: string): void;
  /** Deletes an installed model (unloading it first when it is loaded but idle). */
  removeModel(id: string): Promise<void>;

  /** Answers a question in plain language about the current database. */
  ask(question: string, options?: AskOptions): Promise<Answer>;
  /** Runs one read-only query on the current database through the guard. */
  runSql(sql: string, options?: SqlRunOptions): Promise<SqlRun>;
  /** Adds training data: DDL, documentation, or a question/SQL pair (its SQL must pass the guard and run). */
  train(item: NewKnowledge): Promise<KnowledgeItem>;
  knowledge(query: KnowledgeQuery): Promise<Page<KnowledgeItem>>;
  removeKnowledge(id: string): Promise<void>;
  /** "This answer is right" or "this is the right SQL": either becomes a trained example. */
  feedback(input: FeedbackInput): Promise<KnowledgeItem>;
  history(query?: { limit?: number; conversationId?: string }): Promise<HistoryEntry[]>;
  /** Forgets every question, conversation and cached answer; says how many of each went. */
  clearHistory(): SweepResult;
  database(): DatabaseInfo;
  databases(): DatabaseInfo[];
  switchDatabase(path: string, options?: SwitchDatabaseOptions): Promise<DatabaseInfo>;
  schema(): Promise<DatabaseSchema>;
  /** list_tables, describe_table and run_sql on the current database, as an assistant calls them. */
  tools(): Promise<DatabaseTools>;

  status(): Promise<AskDbStatus>;
  /**
   * Loads the active local model and evaluates the database's stable prompt in the background, and
   * again when the database or model changes, so the first question is as fast as later ones
   * (`askdb serve` calls it; setting `engine.prewarm`). Progress is `status().warmup`.
   */
  prewarm(): void;
  /** Names the OpenAI-compatible API lists under /v1/models. */
  engineModels(): string[];
  /** Origins allowed to call the HTTP API from a browser (setting `server.allowedOrigins`). */
  allowedOrigins(): string[];
  describe(): AskDbSummary;
  /** Finishes or cancels work in progress, unloads the model, closes databases and the store. */
  close(): Promise<void>;
}

export type {
  Answer,
  AskEvent,
  CatalogEntry,
  DownloadHandle,
  DownloadProgress,
  HistoryEntry,
  InstalledModel,
  KnowledgeItem,
  KnowledgeKind,
  NewKnowledge,
};
