import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EventSourceParserStream } from "eventsource-parser/stream";
import { request as undiciRequest } from "undici";
import { createAskDb, type AskDb, type AskDbOptions } from "../../app/index.js";
import { createLogger } from "../logger.js";
import { startServer, type RunningServer, type ServerOptions } from "../listen.js";

export interface TestServer {
  askdb: AskDb;
  server: RunningServer;
  url: string;
  dataDir: string;
  /** fetch() against the server with its token and JSON handling. */
  api(path: string, init?: ApiInit): Promise<Response>;
  /** The same without the token, as any other program on this machine would call. */
  apiWithoutToken(path: string, init?: ApiInit): Promise<Response>;
  close(): Promise<void>;
}

export interface ApiInit extends Omit<RequestInit, "body"> {
  json?: unknown;
  body?: RequestInit["body"];
}

/** An askdb on a fresh data dir, served on 127.0.0.1 at an ephemeral port. */
export async function startTestServer(
  options: { askdb?: Omit<AskDbOptions, "dataDir">; server?: Partial<Omit<ServerOptions, "askdb">> } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "askdb-server-test-"));
  const askdb = await createAskDb({ ...options.askdb, dataDir });
  const server = await startServer({
    askdb,
    host: "127.0.0.1",
    port: 0,
    logger: createLogger("silent"),
    ...options.server,
  });
  const request = (path: string, init: ApiInit, token?: string) => {
    const headers = new Headers(init.headers);
    if (token && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    return fetch(`${server.url}${path}`, { ...init, headers, body });
  };
  return {
    askdb,
    server,
    url: server.url,
    dataDir,
    api: (path, init = {}) => request(path, init, server.token),
    apiWithoutToken: (path, init = {}) => request(path, init),
    close: async () => {
      await server.close();
      await askdb.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A raw HTTP request that may set any header, Host included (fetch does not allow that). */
export async function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: () => Promise<unknown>;
}> {
  const response = await undiciRequest(url, {
    method: (options.method ?? "GET") as "GET",
    headers: options.headers,
    body: options.body,
  });
  return { status: response.statusCode, headers: response.headers, json: () => response.body.json() };
}

export interface SseEvent {
  event: string;
  data: string;
}

/** The events of a Server-Sent Events response, as they arrive. */
export async function* sseEvents(response: Response): AsyncGenerator<SseEvent> {
  if (!response.body) return;
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      yield { event: next.value.event ?? "message", data: next.value.data };
    }
  } finally {
    reader.releaseLock();
  }
}

/** Reads a Server-Sent Events stream to its end. */
export async function readSse(response: Response): Promise<SseEvent[]> {
  const all: SseEvent[] = [];
  for await (const event of sseEvents(response)) all.push(event);
  return all;
}
