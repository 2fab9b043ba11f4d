import { EventSourceParserStream } from "eventsource-parser/stream";
import type {
  Activated,
  Answer,
  AnswerBody,
  ApiErrorBody,
  Deleted,
  Download,
  DownloadList,
  DownloadProgress,
  DownloadStarted,
  ExtensionConnections,
  ExtensionPairingCode,
  FlagList,
  FlagUpdate,
  HistoryCleared,
  HistoryList,
  KnowledgeItem,
  KnowledgeKind,
  KnowledgePage,
  ModelsListing,
  QueryEvent,
  ResultColumn,
  Revoked,
  Settings,
  SettingsResponse,
  SqlResult,
  SqlResultBody,
  Status,
  Trained,
  WatchedDownload,
  WithColumnNames,
} from "./types.js";

/** A failed API call, carrying the server's `{error: {code, message, hint}}`. */
export class ApiError extends Error {
  readonly code: string;
  readonly hint?: string;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(status: number, body: ApiErrorBody["error"]) {
    super(body.message);
    this.name = "ApiError";
    this.status = status;
    this.code = body.code;
    this.hint = body.hint;
    this.details = body.details;
  }
}

/**
 * The server's token when the page was opened with `?token=…` (the address `askdb serve` prints).
 * The server has already turned it into an HttpOnly cookie; it is kept in memory only (for a dev
 * server on another port) and taken out of the address bar, so it stays out of history and bookmarks.
 */
const tokenFromAddress = takeTokenFromAddressBar();

function takeTokenFromAddressBar(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get("token");
  if (token === null) return null;
  url.searchParams.delete("token");
  window.history.replaceState(window.history.state, "", url);
  return token;
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return { ...(tokenFromAddress ? { Authorization: `Bearer ${tokenFromAddress}` } : {}), ...extra };
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => "");
  try {
    const body = JSON.parse(text) as Partial<ApiErrorBody>;
    if (body.error?.message) return new ApiError(response.status, body.error);
  } catch {
    // not JSON: fall through to a generic message
  }
  return new ApiError(response.status, {
    code: response.status === 0 ? "NETWORK" : "HTTP_" + response.status,
    message: text.trim() || `the server answered ${response.status} ${response.statusText}`,
  });
}

async function send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw unreachable();
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function json<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const response = await send(method, path, body, signal);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

/** The UI shows columns by name: each `{name, type}` is reduced to its name. */
function withColumnNames<T extends { columns: ResultColumn[] }>(result: T): WithColumnNames<T> {
  return { ...result, columns: result.columns.map((column) => column.name) };
}

function encodeQuery(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(
    (entry): entry is [string, string | number] => entry[1] !== undefined,
  );
  return entries.length === 0
    ? ""
    : "?" + new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString();
}

/** Reads a Server-Sent Events response, calling `onEvent` with each parsed `data:` JSON. */
async function readEvents(
  response: Response,
  onEvent: (event: string, data: unknown) => void,
): Promise<void> {
  if (!response.body) return;
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    let data: unknown = value.data;
    try {
      data = JSON.parse(value.data);
    } catch {
      // plain-text data stays a string
    }
    onEvent(value.event ?? "message", data);
  }
}

function toQueryEvent(event: string, data: unknown): QueryEvent | null {
  const payload = (data ?? {}) as Record<string, unknown>;
  switch (event) {
    case "retrieving":
      return { type: "retrieving" };
    case "generating":
      return { type: "generating", token: typeof payload.token === "string" ? payload.token : undefined };
    case "executing":
      return { type: "executing", sql: typeof payload.sql === "string" ? payload.sql : undefined };
    case "answer":
      return { type: "answer", answer: withColumnNames(payload as unknown as AnswerBody) };
    case "error":
      return { type: "error", error: (payload.error ?? payload) as ApiErrorBody["error"] };
    default:
      return null;
  }
}

export interface AskOptions {
  conversationId?: string;
  signal?: AbortSignal;
  onEvent?: (event: QueryEvent) => void;
}

/** The events of `GET /api/downloads/events`: `progress` on every change, then one of the others. */
export type DownloadEventName = "progress" | "done" | "failed" | "cancelled";

export const api = {
  status: () => json<Status>("GET", "/status"),

  /** Asks a question, streaming progress; resolves with the answer or rejects with an ApiError. */
  async ask(question: string, options: AskOptions = {}): Promise<Answer> {
    const body = {
      question,
      ...(options.conversationId ? { conversationId: options.conversationId } : {}),
    };
    let response: Response;
    try {
      response = await fetch("/query", {
        method: "POST",
        headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
        body: JSON.stringify(body),
        signal: options.signal,
      });
    } catch (cause) {
      if (options.signal?.aborted) throw cause;
      throw unreachable();
    }
    if (!response.ok) throw await errorOf(response);
    if (!response.headers.get("content-type")?.includes("text/event-stream")) {
      return withColumnNames((await response.json()) as AnswerBody);
    }
    let answer: Answer | undefined;
    let failure: ApiError | undefined;
    await readEvents(response, (name, data) => {
      const event = toQueryEvent(name, data);
      if (!event) return;
      if (event.type === "answer") answer = event.answer;
      if (event.type === "error") failure = new ApiError(422, event.error);
      options.onEvent?.(event);
    });
    if (failure) throw failure;
    if (!answer) {
      throw new ApiError(0, {
        code: "INTERNAL",
        message: "the answer stream ended before an answer arrived",
        hint: "Ask again; if it keeps happening, look at the terminal running `askdb serve`.",
      });
    }
    return answer;
  },

  runSql: async (sql: string, signal?: AbortSignal): Promise<SqlResult> =>
    withColumnNames(await json<SqlResultBody>("POST", "/sql", { sql }, signal)),

  train: (training_type: KnowledgeKind, content: string, question?: string) =>
    json<Trained>("POST", "/train", { training_type, content, ...(question ? { question } : {}) }),

  /** Starts downloading a model (default: the recommended one) and returns at once. */
  downloadModel: (modelId?: string) =>
    json<DownloadStarted>("POST", "/download-model", modelId ? { modelId } : {}),
  downloadProgress: () => json<DownloadProgress>("GET", "/download-progress"),
  cancelDownload: (modelId?: string) =>
    json<DownloadProgress>("POST", "/cancel-download", modelId ? { modelId } : {}),

  models: () => json<ModelsListing>("GET", "/api/models"),
  pullModel: (modelId: string) => json<DownloadStarted>("POST", "/api/models/pull", { modelId }),
  deleteModel: (id: string) => json<Deleted>("DELETE", `/api/models/${encodeURIComponent(id)}`),
  activateModel: (id: string) =>
    json<Activated>("POST", `/api/models/${encodeURIComponent(id)}/activate`, {}),
  downloads: () => json<DownloadList>("GET", "/api/downloads"),
  cancelModelDownload: (downloadId: string) =>
    json<Download>("POST", `/api/downloads/${encodeURIComponent(downloadId)}/cancel`, {}),

  /** Follows every download over SSE until `signal` aborts. */
  async watchDownloads(
    onEvent: (event: DownloadEventName, download: WatchedDownload) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const response = await send("GET", "/api/downloads/events", undefined, signal);
    await readEvents(response, (event, data) => {
      if (data && typeof data === "object") onEvent(event as DownloadEventName, data as WatchedDownload);
    }).catch((error: unknown) => {
      if (!signal.aborted) throw error;
    });
  },

  knowledge: (params: { kind?: KnowledgeKind; search?: string; limit?: number; offset?: number } = {}) =>
    json<KnowledgePage>(
      "GET",
      "/api/knowledge" +
        encodeQuery({
          kind: params.kind,
          q: params.search || undefined,
          limit: params.limit,
          offset: params.offset,
        }),
    ),
  addKnowledge: (item: { kind: KnowledgeKind; content: string; question?: string }) =>
    json<KnowledgeItem>("POST", "/api/knowledge", item),
  deleteKnowledge: (id: string) => json<Deleted>("DELETE", `/api/knowledge/${encodeURIComponent(id)}`),

  markCorrect: (historyId: string) =>
    json<KnowledgeItem>("POST", "/api/feedback", { historyId, verdict: "correct" }),
  correct: (historyId: string, sql: string) =>
    json<KnowledgeItem>("POST", "/api/feedback", { historyId, verdict: "corrected", sql }),

  history: (params: { limit?: number; conversationId?: string } = {}) =>
    json<HistoryList>("GET", "/api/history" + encodeQuery(params)),
  clearHistory: () => json<HistoryCleared>("DELETE", "/api/history"),

  settings: () => json<SettingsResponse>("GET", "/api/settings"),
  saveSettings: (changes: Settings) => json<SettingsResponse>("PATCH", "/api/settings", changes),
  flags: () => json<FlagList>("GET", "/api/flags"),
  setFlag: (id: string, enabled: boolean) =>
    json<FlagUpdate>("PATCH", `/api/flags/${encodeURIComponent(id)}`, { enabled }),

  extensionConnections: () => json<ExtensionConnections>("GET", "/api/extension/connections"),
  createPairingCode: () => json<ExtensionPairingCode>("POST", "/api/extension/pairing-codes", {}),
  revokeExtension: (id: string) =>
    json<Revoked>("DELETE", `/api/extension/connections/${encodeURIComponent(id)}`),
};

function unreachable(): ApiError {
  return new ApiError(0, {
    code: "NETWORK",
    message: "askdb is not reachable",
    hint: "Check that `askdb serve` is still running, then try again.",
  });
}
