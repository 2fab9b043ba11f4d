/**
 * A test server speaking Ollama's API: `/api/chat` and `/api/generate` (NDJSON streaming, or one
 * JSON object with `stream: false`), `/api/embed`, `/api/tags`, `/api/ps`, and `keep_alive` loading
 * and unloading. Replies are scripted; figures (eval counts, durations) follow Ollama's fields.
 */
import type { ServerResponse } from "node:http";
import {
  hashEmbedding,
  pieces,
  scriptedReply,
  sendJson,
  startTestServer,
  streamPieces,
  type RecordedRequest,
  type ScriptOptions,
  type TestServer,
} from "./http-server.js";

export interface OllamaTestServer extends TestServer {
  /** Models currently "loaded" (what /api/ps lists). */
  readonly loaded: Set<string>;
}

export async function startOllamaTestServer(
  options: ScriptOptions & { models?: string[] } = {},
): Promise<OllamaTestServer> {
  const loaded = new Set<string>();
  const installed = options.models ?? ["qwen2.5-coder:1.5b"];
  const track = (body: Record<string, unknown>): void => {
    const model = String(body.model);
    if (body.keep_alive === 0 || body.keep_alive === "0" || body.keep_alive === "0s") loaded.delete(model);
    else loaded.add(model);
  };
  const generate = (kind: "chat" | "generate") => async (request: RecordedRequest, res: ServerResponse) => {
    const body = request.body ?? {};
    if (!installed.includes(String(body.model)))
      return sendJson(res, 404, { error: `model "${String(body.model)}" not found, try pulling it first` });
    track(body);
    if (kind === "generate" && body.prompt === undefined) {
      return sendJson(res, 200, {
        model: body.model,
        response: "",
        done: true,
        done_reason: loaded.has(String(body.model)) ? "load" : "unload",
      });
    }
    const reply = scriptedReply(body, options);
    const text = typeof reply === "string" ? reply : "";
    const toolCalls = typeof reply === "string" ? [] : reply.toolCalls.map((call) => ({ function: call }));
    const chunk = (piece: string, extra: Record<string, unknown> = {}) =>
      kind === "chat"
        ? { model: body.model, message: { role: "assistant", content: piece, ...extra }, done: false }
        : { model: body.model, response: piece, done: false };
    const promptText = JSON.stringify(body.messages ?? body.prompt ?? "");
    const final = {
      model: body.model,
      ...(kind === "chat" ? { message: { role: "assistant", content: "" } } : { response: "" }),
      done: true,
      done_reason: "stop",
      total_duration: 5_000_000,
      load_duration: 1_000_000,
      prompt_eval_count: Math.ceil(promptText.length / 4),
      prompt_eval_duration: 1_000_000,
      eval_count: pieces(text).length + toolCalls.length,
      eval_duration: 3_000_000,
    };
    if (body.stream === false) {
      return sendJson(res, 200, {
        ...final,
        ...(kind === "chat"
          ? { message: { role: "assistant", content: text, tool_calls: toolCalls } }
          : { response: text }),
      });
    }
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    const lines = pieces(text).map((piece) => `${JSON.stringify(chunk(piece))}\n`);
    if (toolCalls.length > 0) lines.push(`${JSON.stringify(chunk("", { tool_calls: toolCalls }))}\n`);
    if (await streamPieces(res, lines, options.pieceDelayMs)) res.end(`${JSON.stringify(final)}\n`);
  };
  const server = await startTestServer({
    "POST /api/chat": generate("chat"),
    "POST /api/generate": generate("generate"),
    "POST /api/embed": (request, res) => {
      const body = request.body ?? {};
      const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
      track(body);
      sendJson(res, 200, {
        model: body.model,
        embeddings: inputs.map((text) => hashEmbedding(text, options.dimensions ?? 8)),
      });
    },
    "GET /api/tags": (_, res) =>
      sendJson(res, 200, {
        models: installed.map((name) => ({ name, model: name, size: 1_000_000, digest: "sha256:0" })),
      }),
    "GET /api/ps": (_, res) =>
      sendJson(res, 200, {
        models: [...loaded].map((name) => ({
          name,
          model: name,
          size: 1_000_000,
          size_vram: 0,
          expires_at: new Date(Date.now() + 300_000).toISOString(),
        })),
      }),
  });
  return Object.assign(server, { loaded });
}
