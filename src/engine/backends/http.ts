import { EventSourceParserStream, type EventSourceMessage } from "eventsource-parser/stream";
import { AskDbError, isAskDbError } from "../../errors/index.js";
import type { BackendKind } from "../types.js";

export interface JsonRequest {
  backend: BackendKind;
  url: string;
  method?: "GET" | "POST";
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** One HTTP call to a model server, with failures mapped to codes the fallback chain understands. */
export async function requestJson(request: JsonRequest): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? (request.body === undefined ? "GET" : "POST"),
      headers: {
        ...(request.body === undefined ? {} : { "content-type": "application/json" }),
        ...request.headers,
      },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal?.aborted)
      throw new AskDbError("CANCELLED", "the request was cancelled", { cause: error });
    const reason = (error as Error & { cause?: Error }).cause?.message ?? (error as Error).message;
    throw new AskDbError(
      "NETWORK",
      `cannot reach the ${request.backend} backend at ${request.url}: ${reason}`,
      {
        hint: `check that the ${request.backend} server is running and the URL in settings is right`,
        cause: error,
      },
    );
  }
  if (!response.ok) throw await httpError(request, response);
  return response;
}

async function httpError(request: JsonRequest, response: Response): Promise<AskDbError> {
  const detail = errorDetail(await response.text().catch(() => ""));
  const message = `the ${request.backend} backend answered ${response.status} for ${new URL(request.url).pathname}${detail ? `: ${detail}` : ""}`;
  if (response.status === 401 || response.status === 403) {
    return new AskDbError("UNAUTHORIZED", message, {
      hint: "check the API key (the environment variable named in engine settings)",
    });
  }
  if (response.status === 404) {
    return new AskDbError("NOT_FOUND", message, { hint: "check the model name and URL in engine settings" });
  }
  if (response.status === 429 || response.status >= 500) {
    const retryAfter = Number(response.headers.get("retry-after"));
    return new AskDbError("BACKEND_UNAVAILABLE", message, {
      hint: "the server is overloaded or failing; askdb retries and then tries the next backend",
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  return new AskDbError("UNPROCESSABLE", message, { hint: "the server refused the request; check its logs" });
}

/** The server's own words: `{"error": "..."}` (Ollama), `{"error": {"message": "..."}}` (OpenAI), or the raw text. */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: string | { message?: string } };
    const error = typeof parsed.error === "string" ? parsed.error : parsed.error?.message;
    if (error) return error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 300).trim();
}

/** Lines of a streamed body, as they arrive. */
async function* readLines(response: Response, signal?: AbortSignal): AsyncGenerator<string> {
  if (!response.body) return;
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline).replace(/\r$/, "");
        buffer = buffer.slice(newline + 1);
        if (line.length > 0) yield line;
      }
    }
  } catch (error) {
    throw streamError(error, signal);
  }
  buffer += decoder.decode();
  if (buffer.trim().length > 0) yield buffer;
}

/** NDJSON (Ollama): one JSON object per line. */
export async function* readNdjson<T>(response: Response, signal?: AbortSignal): AsyncGenerator<T> {
  for await (const line of readLines(response, signal)) yield parseJsonLine<T>(line);
}

/** Server-sent events (OpenAI): the JSON payload of each event, until `[DONE]`. */
export async function* readSse<T>(response: Response, signal?: AbortSignal): AsyncGenerator<T> {
  if (!response.body) return;
  const events = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream());
  try {
    for await (const event of events as unknown as AsyncIterable<EventSourceMessage>) {
      if (event.data === "[DONE]") return;
      yield parseJsonLine<T>(event.data);
    }
  } catch (error) {
    throw streamError(error, signal);
  }
}

function parseJsonLine<T>(line: string): T {
  try {
    return JSON.parse(line) as T;
  } catch (error) {
    throw new AskDbError(
      "BACKEND_UNAVAILABLE",
      `the model server sent a malformed line: ${line.slice(0, 120)}`,
      { cause: error },
    );
  }
}

function streamError(error: unknown, signal: AbortSignal | undefined): AskDbError {
  if (isAskDbError(error)) return error;
  if (signal?.aborted) return new AskDbError("CANCELLED", "the request was cancelled", { cause: error });
  return new AskDbError(
    "NETWORK",
    `the stream from the model server broke off: ${(error as Error).message}`,
    { cause: error },
  );
}

/** Remote servers expose no tokenizer; this is the usual ~4 characters per token estimate. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
