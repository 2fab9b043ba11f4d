/**
 * The askdb HTTP API's shapes, by the names the web UI uses. They are generated from the server's
 * OpenAPI document into generated.ts (`npm run gen:web-types`; never edit that file): this file only
 * names them, and adds the few types that exist only in the UI.
 */
import type { components } from "./generated.js";

type Schemas = components["schemas"];

export type ApiErrorBody = Schemas["Error"];

export type ChartSpec = Schemas["ChartSpec"];
export type ChartType = ChartSpec["type"];
export type ResultColumn = Schemas["ResultColumn"];
/** A BLOB cell: its size and the start of its bytes. */
export type BlobCell = Schemas["BlobCell"];
export type Cell = Schemas["Cell"];
export type Attempt = Schemas["Attempt"];
export type Timings = Schemas["AnswerTimings"];
/** `POST /query`'s answer as the server sends it (columns as `{name, type}`). */
export type AnswerBody = Schemas["Answer"];
export type AnswerSource = AnswerBody["source"];
/** `POST /sql`'s result as the server sends it. */
export type SqlResultBody = Schemas["SqlResult"];

export type Status = Schemas["Status"];
export type EngineStatus = Schemas["EngineStatus"];
export type DatabaseInfo = Schemas["Database"];

/** `GET /download-progress` (snake_case: fixed by the desktop app). */
export type DownloadProgress = Schemas["DownloadProgress"];
export type DownloadStatus = DownloadProgress["status"];
/** A download as `/api/downloads` describes it. */
export type Download = Schemas["Download"];
/** A download as the events stream sends it: `stalled` when no byte came for a while. */
export type WatchedDownload = Schemas["DownloadEvent"];
export type DownloadStarted = Schemas["DownloadStarted"];
export type ModelInfo = Schemas["Model"];
export type ModelsListing = Schemas["ModelList"];
export type DownloadList = Schemas["DownloadList"];
export type Activated = Schemas["Activated"];
export type Deleted = Schemas["Deleted"];

export type KnowledgeItem = Schemas["KnowledgeItem"];
export type KnowledgeKind = KnowledgeItem["kind"];
export type KnowledgePage = Schemas["KnowledgePage"];
export type Trained = Schemas["Trained"];
export type HistoryEntry = Schemas["HistoryEntry"];
export type HistoryList = Schemas["HistoryList"];
export type HistoryCleared = Schemas["HistoryCleared"];

export type SettingsResponse = Schemas["Settings"];
/** Settings by dotted key ("backend.kind", "engine.threads", …). */
export type Settings = SettingsResponse["settings"];
export type SettingDetail = Schemas["Setting"];
export type FeatureFlag = Schemas["Flag"];
export type FlagList = Schemas["FlagList"];
export type FlagUpdate = Schemas["FlagUpdate"];

export type ExtensionPairingCode = Schemas["ExtensionPairingCode"];
/** A paired browser extension (GET /api/extension/connections). */
export type ExtensionConnection = Schemas["ExtensionConnection"];
export type ExtensionConnections = Schemas["ExtensionConnections"];
export type Revoked = Schemas["Revoked"];

// UI-only types.

/** A result as the UI holds it: api/client.ts reduces each column's `{name, type}` to its name. */
export type WithColumnNames<T extends { columns: ResultColumn[] }> = Omit<T, "columns"> & {
  columns: string[];
};
/** An answer in the chat: from `POST /query`, or the person's own SQL run in its place. */
export type Answer = WithColumnNames<Omit<AnswerBody, "id">> & {
  /** The history entry that feedback refers to; none when the person ran their SQL after a failed answer. */
  id?: string;
};
export type SqlResult = WithColumnNames<SqlResultBody>;
/** A download as the models page follows it: listed (`Download`) or from the events stream. */
export type LiveDownload = Download & Partial<Pick<WatchedDownload, "stalled">>;
/** What the progress view shows: the desktop app's progress, and `stalled` when the stream said so. */
export type ProgressView = DownloadProgress & Partial<Pick<WatchedDownload, "stalled">>;

/** Events of `POST /query` with `Accept: text/event-stream`. */
export type QueryEvent =
  | { type: "retrieving" }
  | { type: "generating"; token?: string }
  | { type: "executing"; sql?: string }
  | { type: "answer"; answer: Answer }
  | { type: "error"; error: ApiErrorBody["error"] };
