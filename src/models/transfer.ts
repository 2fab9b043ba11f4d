import { open, stat, type FileHandle } from "node:fs/promises";
import { Writable, type Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { request, type Dispatcher } from "undici";
import { AskDbError } from "../errors/index.js";
import { formatBytes } from "../util/index.js";
import { FileHasher } from "./hash.js";
import { modelDispatcher } from "./http.js";

export interface TransferOptions {
  url: string;
  headers: Record<string, string>;
  partPath: string;
  /** Exact size when the source says it; the transfer restarts if the server disagrees. */
  expectedSize: number | null;
  /** ETag seen by an earlier attempt: sent as If-Range so a changed remote file restarts cleanly. */
  etag: string | null;
  signal: AbortSignal;
  /** No byte for this long (headers or body) counts as a stall and is retried. */
  stallTimeoutMs: number;
  /** Attempts after the first on network errors, stalls and 5xx/429 answers. */
  retries: number;
  retryBaseDelayMs: number;
  onProgress: (downloadedBytes: number, totalBytes: number | null) => void;
  /** Called before waiting to retry: the attempt that failed (1-based), why, and the wait. */
  onRetry?: (attempt: number, reason: string, delayMs: number) => void;
  /** Called when the remote's identity (ETag, size) is known, so it can be persisted for a later resume. */
  onRemote?: (remote: { etag: string | null; totalBytes: number | null }) => void;
}

export interface TransferResult {
  bytes: number;
  sha256: string;
  etag: string | null;
  /** Bytes that came over the network in this run (excludes a resumed prefix). */
  transferredBytes: number;
}

const MAX_RETRY_DELAY_MS = 8000;
const WRITE_BUFFER_BYTES = 8 * 1024 * 1024;

/** Retryable failures: the connection, not the file, is the problem. */
class TransientError extends Error {}

/**
 * Downloads `url` into `partPath`, resuming from the bytes already there with a Range request.
 * The sha256 is computed on a worker thread while the file is written (a resumed prefix first), so
 * verification costs no second pass over a multi-gigabyte file and never slows the download.
 */
export async function transferToPart(options: TransferOptions): Promise<TransferResult> {
  const state = await openPart(options.partPath, options.etag);
  let transferredBytes = 0;
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const complete = await attemptTransfer(options, state);
        transferredBytes += state.lastAttemptBytes;
        if (complete)
          return {
            bytes: state.written,
            sha256: await state.hasher.digest(state.written),
            etag: state.etag,
            transferredBytes,
          };
      } catch (error) {
        transferredBytes += state.lastAttemptBytes;
        if (options.signal.aborted) throw options.signal.reason ?? error;
        if (!(error instanceof TransientError) || attempt >= options.retries)
          throw finalError(error, options);
        await state.syncToWritten();
        const delay =
          Math.min(options.retryBaseDelayMs * 2 ** attempt, MAX_RETRY_DELAY_MS) *
          (0.75 + Math.random() * 0.5);
        options.onRetry?.(attempt + 1, error.message, delay);
        await sleep(delay, undefined, { signal: options.signal });
      }
    }
  } finally {
    await state.close();
  }
}

interface PartState {
  hasher: FileHasher;
  /** The remote file's ETag as last seen; a different one means the remote changed. */
  etag: string | null;
  written: number;
  lastAttemptBytes: number;
  handle: FileHandle;
  restart(): Promise<void>;
  syncToWritten(): Promise<void>;
  close(): Promise<void>;
}

async function openPart(partPath: string, etag: string | null): Promise<PartState> {
  const existing = await stat(partPath).then(
    (s) => s.size,
    () => 0,
  );
  const handle = await open(partPath, existing > 0 ? "r+" : "w");
  const hasher = new FileHasher(partPath);
  // A resumed download: the bytes already there are hashed first, on the hashing thread.
  if (existing > 0) hasher.advance(existing);
  const state: PartState = {
    hasher,
    etag,
    written: existing,
    lastAttemptBytes: 0,
    handle,
    async restart() {
      hasher.reset();
      state.written = 0;
      await handle.truncate(0);
    },
    // A failed write may leave bytes past what was counted; cut them so the file ends where resume starts.
    async syncToWritten() {
      await handle.truncate(state.written);
    },
    async close() {
      await handle.close();
      await hasher.close();
    },
  };
  return state;
}

/** One HTTP request; true when the part file now holds the whole remote file. */
async function attemptTransfer(options: TransferOptions, state: PartState): Promise<boolean> {
  state.lastAttemptBytes = 0;
  if (options.expectedSize !== null && state.written > options.expectedSize) await state.restart();
  if (options.expectedSize !== null && state.written === options.expectedSize && state.written > 0) {
    return true;
  }
  const headers: Record<string, string> = { ...options.headers, "accept-encoding": "identity" };
  if (state.written > 0) {
    headers.range = `bytes=${state.written}-`;
    if (state.etag && !state.etag.startsWith("W/")) headers["if-range"] = state.etag;
  }
  const response = await send(options, headers);
  const etag = headerValue(response.headers.etag);
  const status = response.statusCode;

  if (status === 416) {
    await response.body.dump();
    const remoteSize = parseTotal(headerValue(response.headers["content-range"]));
    if (
      remoteSize !== null &&
      remoteSize === state.written &&
      (options.expectedSize ?? remoteSize) === remoteSize
    ) {
      return true;
    }
    // Our partial file is longer than (or unrelated to) the remote one: start over.
    await state.restart();
    throw new TransientError("the server refused the resume range (HTTP 416); restarting from the beginning");
  }
  if (status === 200 || status === 206) {
    const total = await prepareForBody(options, state, response, status, etag);
    state.etag = etag ?? state.etag;
    options.onRemote?.({ etag: state.etag, totalBytes: total });
    await writeBody(response.body, state, options, total);
    return total === null || state.written === total;
  }
  await response.body.dump();
  throw httpFailure(status, options.url);
}

async function send(
  options: TransferOptions,
  headers: Record<string, string>,
): Promise<Dispatcher.ResponseData> {
  try {
    return await request(options.url, {
      method: "GET",
      headers,
      dispatcher: modelDispatcher(),
      signal: options.signal,
      headersTimeout: options.stallTimeoutMs,
      bodyTimeout: options.stallTimeoutMs,
    });
  } catch (error) {
    // An AskDbError is a refusal (e.g. a redirect to plain http), not a connection problem to retry.
    if (options.signal.aborted || error instanceof AskDbError) throw error;
    throw new TransientError(describeNetworkError(error));
  }
}

/** Decides whether the body continues our file or replaces it, and returns the full size. */
async function prepareForBody(
  options: TransferOptions,
  state: PartState,
  response: Dispatcher.ResponseData,
  status: number,
  etag: string | null,
): Promise<number | null> {
  if (status === 200) {
    // The server ignored Range, or If-Range found a changed file: the body is the whole file.
    if (state.written > 0) await state.restart();
    const length = Number(headerValue(response.headers["content-length"]));
    const total = Number.isFinite(length) && length > 0 ? length : null;
    assertExpectedSize(options, total, response);
    return total;
  }
  const contentRange = headerValue(response.headers["content-range"]);
  const start = parseStart(contentRange);
  const total = parseTotal(contentRange);
  if (start !== state.written) {
    await response.body.dump();
    await state.restart();
    throw new TransientError(`the server resumed at byte ${start} instead of ${state.written}; restarting`);
  }
  if (state.etag && etag && state.etag !== etag) {
    // A server that ignores If-Range but reports a new ETag: the bytes we have belong to another file.
    await response.body.dump();
    await state.restart();
    throw new TransientError("the remote file changed since the download started; restarting");
  }
  assertExpectedSize(options, total, response);
  return total;
}

function assertExpectedSize(
  options: TransferOptions,
  total: number | null,
  response: Dispatcher.ResponseData,
): void {
  if (options.expectedSize !== null && total !== null && total !== options.expectedSize) {
    response.body.destroy();
    throw new AskDbError(
      "INTEGRITY_FAILED",
      `the server offers ${formatBytes(total)} but the model should be ${formatBytes(options.expectedSize)} (${options.url})`,
      {
        hint: "the file changed upstream or the URL points at another file; check the source, then pull again",
      },
    );
  }
}

async function writeBody(
  body: Dispatcher.ResponseData["body"],
  state: PartState,
  options: TransferOptions,
  total: number | null,
): Promise<void> {
  let position = state.written;
  const sink = new Writable({
    highWaterMark: WRITE_BUFFER_BYTES,
    writev(chunks, callback) {
      const buffers = chunks.map((entry) => entry.chunk as Buffer);
      writeAll(state.handle, buffers, position).then(
        (bytes) => {
          position += bytes;
          state.written = position;
          state.hasher.advance(position);
          state.lastAttemptBytes += bytes;
          options.onProgress(state.written, total);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  try {
    await pumpInto(body, sink);
  } catch (error) {
    if (options.signal.aborted) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOSPC") {
      throw new AskDbError("DISK_FULL", `the disk filled up while downloading to ${options.partPath}`, {
        hint: "free some space (the partial file is kept), then run the same pull again to resume",
      });
    }
    throw new TransientError(describeNetworkError(error));
  }
  if (total !== null && state.written < total) {
    throw new TransientError(
      `the connection closed after ${formatBytes(state.written)} of ${formatBytes(total)}`,
    );
  }
}

/**
 * Pipes the body into the file. When the body fails (cut, stall, abort) the bytes already received
 * are still written, and nothing is left in flight when this returns: the next attempt resumes
 * exactly where the file ends.
 */
function pumpInto(body: Readable, sink: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let bodyError: Error | undefined;
    body.once("error", (error) => {
      bodyError = error;
      body.unpipe(sink);
      sink.end();
    });
    sink.once("finish", () => (bodyError ? reject(bodyError) : resolve()));
    sink.once("error", (error) => {
      body.destroy();
      reject(error);
    });
    body.pipe(sink);
  });
}

async function writeAll(handle: FileHandle, buffers: Buffer[], position: number): Promise<number> {
  const expected = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  const { bytesWritten } = await handle.writev(buffers, position);
  if (bytesWritten !== expected) {
    // Rare short write: finish it, so every byte counted as written is in the file.
    const rest = Buffer.concat(buffers).subarray(bytesWritten);
    let offset = 0;
    while (offset < rest.length) {
      const { bytesWritten: n } = await handle.write(
        rest,
        offset,
        rest.length - offset,
        position + bytesWritten + offset,
      );
      offset += n;
    }
  }
  return expected;
}

function httpFailure(status: number, url: string): Error {
  if (status === 429 || status >= 500) return new TransientError(`the server answered HTTP ${status}`);
  if (status === 401 || status === 403) {
    return new AskDbError("UNAUTHORIZED", `the server refused the download (HTTP ${status}): ${url}`, {
      hint: "for a gated Hugging Face model, accept its license on huggingface.co and set HF_TOKEN",
    });
  }
  if (status === 404 || status === 410) {
    return new AskDbError("DOWNLOAD_FAILED", `nothing to download at ${url} (HTTP ${status})`, {
      hint: "check the URL or model name; `askdb models list` shows the catalog",
    });
  }
  return new AskDbError("DOWNLOAD_FAILED", `the server answered HTTP ${status} for ${url}`, {
    hint: "check the URL, then try again",
  });
}

function finalError(error: unknown, options: TransferOptions): unknown {
  if (!(error instanceof TransientError)) return error;
  return new AskDbError(
    "NETWORK",
    `download failed after ${options.retries + 1} attempts: ${error.message}`,
    {
      hint: "check your connection, then run the same pull again: it resumes from the partial file",
      cause: error,
    },
  );
}

function describeNetworkError(error: unknown): string {
  const err = error as NodeJS.ErrnoException;
  if (err.code === "UND_ERR_BODY_TIMEOUT" || err.code === "UND_ERR_HEADERS_TIMEOUT")
    return "the download stalled (no data received)";
  if (err.code === "ECONNREFUSED") return `connection refused (${err.message})`;
  if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") return `cannot resolve the host (${err.message})`;
  return err.message || String(error);
}

function headerValue(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

function parseStart(contentRange: string | null): number | null {
  const match = /^bytes (\d+)-\d+\/(?:\d+|\*)$/.exec(contentRange ?? "");
  return match ? Number(match[1]) : null;
}

function parseTotal(contentRange: string | null): number | null {
  const match = /\/(\d+)$/.exec(contentRange ?? "");
  return match ? Number(match[1]) : null;
}
