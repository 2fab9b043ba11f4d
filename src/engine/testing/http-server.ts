import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createHash } from "node:crypto";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown> | undefined;
}

export type Route = (request: RecordedRequest, response: ServerResponse) => Promise<void> | void;

/** A scripted reply: text (streamed word by word) or tool calls. */
export type ScriptedReply =
  string | { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> };

export interface ScriptOptions {
  /** What the model "says"; default: "You said: <last user text or prompt>". */
  reply?: (body: Record<string, unknown>) => ScriptedReply;
  /** Pause between streamed pieces (to test cancellation mid-stream). */
  pieceDelayMs?: number;
  /** Dimensions of the deterministic embeddings. Default 8. */
  dimensions?: number;
}

export interface TestServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** The next `count` requests are answered with `status` (default 503) before routing. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 (ephemeral port) routing `METHOD /path` to handlers, recording every request. */
export async function startTestServer(
  routes: Record<string, Route>,
  options: { apiKey?: string } = {},
): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  let failures: { count: number; status: number } = { count: 0, status: 503 };
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: String(error) }));
    });
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const request: RecordedRequest = {
      method: req.method ?? "GET",
      path: new URL(req.url ?? "/", "http://localhost").pathname,
      headers: req.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
    requests.push(request);
    if (failures.count > 0) {
      failures.count -= 1;
      return sendJson(res, failures.status, { error: `scripted failure ${failures.status}` });
    }
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, { error: { message: "invalid API key" } });
    }
    const route = routes[`${request.method} ${request.path}`];
    if (!route) return sendJson(res, 404, { error: `no route ${request.method} ${request.path}` });
    await route(request, res);
  }
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    failNext: (count, status = 503) => {
      failures = { count, status };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** The reply the script gives for a request body. */
export function scriptedReply(body: Record<string, unknown>, options: ScriptOptions): ScriptedReply {
  if (options.reply) return options.reply(body);
  const messages = (body.messages ?? []) as Array<{ role: string; content: string }>;
  const lastUser = [...messages].reverse().find((m) => m.role === "user")?.content;
  return `You said: ${lastUser ?? String(body.prompt ?? "")}`;
}

/** Splits text into streamable pieces that join back to it exactly ("a b" → "a", " b"). */
export function pieces(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

/** A vector derived from the text's sha256: identical text, identical vector. */
export function hashEmbedding(text: string, dimensions: number): number[] {
  const digest = createHash("sha256").update(text).digest();
  return Array.from({ length: dimensions }, (_, i) => digest[i % digest.length] / 255 - 0.5);
}

export function wait(ms: number | undefined): Promise<void> {
  return ms ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Writes pieces one by one, stopping quietly when the client has gone. */
export async function streamPieces(
  res: ServerResponse,
  parts: string[],
  delayMs: number | undefined,
): Promise<boolean> {
  for (const part of parts) {
    if (res.destroyed) return false;
    res.write(part);
    await wait(delayMs);
  }
  return !res.destroyed;
}
