import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AskDbError } from "../../errors/index.js";
import { formatBytes } from "../../util/index.js";
import { assertSqliteFile } from "../connect/index.js";
import { watchResidentMemory } from "./memory-watch.js";
import type { QueryRequest, QueryResponse, WorkerMessage } from "./protocol.js";
import { DEFAULT_LIMITS, type QueryLimits, type QueryResult } from "./types.js";

export interface QueryExecutorOptions extends Partial<QueryLimits> {
  /** Default time limit per query, in milliseconds. */
  timeoutMs?: number;
  /** The query process is stopped when its resident memory passes this (Linux only). */
  maxMemoryBytes?: number;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRows?: number;
  maxResultBytes?: number;
}

export interface QueryExecutor {
  readonly dbPath: string;
  /** Checks and runs one read-only query off the main thread; stopped at the deadline or on abort. */
  execute(sql: string, options?: ExecuteOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

interface QueryProcess {
  process: ChildProcess;
  /** Set when the process has loaded and can take queries (start-up time is not a query's time). */
  ready: boolean;
  stderr: string;
}

interface Job {
  request: QueryRequest;
  timeoutMs: number;
  signal?: AbortSignal;
  resolve(result: QueryResult): void;
  reject(error: AskDbError): void;
}

/**
 * Runs queries on one database in a separate process that holds its own read-only connection.
 * A process, not a worker thread: `worker.terminate()` cannot interrupt SQLite inside a long step
 * (and then even blocks the parent's exit), while killing a process always stops it at once.
 * Queries run one at a time in arrival order; the time limit counts from a query's start, and the
 * process's own start-up does not count against it.
 */
export function createQueryExecutor(dbPath: string, options: QueryExecutorOptions = {}): QueryExecutor {
  assertSqliteFile(dbPath);
  const defaults = { ...DEFAULT_LIMITS, ...definedOnly(options) };
  const queue: Job[] = [];
  let child: QueryProcess | undefined;
  let running: { job: Job; timer: NodeJS.Timeout; onAbort: () => void; stopWatching: () => void } | undefined;
  let nextId = 1;
  let closed = false;

  function spawnChild(): QueryProcess {
    const spawned = fork(WORKER.file, [dbPath], {
      execArgv: [...WORKER.execArgv, "--max-old-space-size=512"],
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: { ...process.env, ...WORKER.env },
    });
    const worker: QueryProcess = { process: spawned, ready: false, stderr: "" };
    spawned.stderr?.on("data", (chunk: Buffer) => (worker.stderr = (worker.stderr + chunk.toString()).slice(-2000)));
    spawned.on("message", (message: WorkerMessage) => {
      if ("ready" in message) {
        worker.ready = true;
        pump();
      } else settleRunning(message);
    });
    spawned.on("exit", (code, signal) => {
      if (child !== worker) return;
      child = undefined;
      const how = signal ?? `exit code ${code}`;
      const details = { stderr: worker.stderr.trim() };
      if (!worker.ready) {
        failQueued(new AskDbError("INTERNAL", `the query process could not start (${how})`, { details }));
        return;
      }
      failRunning(
        new AskDbError("SQL_ERROR", `the query process stopped unexpectedly (${how}); the query may need too much memory`, {
          hint: "select fewer or smaller values",
          details,
        }),
      );
    });
    holdProcessOpen(worker, false);
    return worker;
  }

  function settleRunning(response: QueryResponse): void {
    if (!running || running.job.request.id !== response.id) return;
    const { job } = finishRunning();
    if (response.ok) job.resolve(response.result);
    else job.reject(new AskDbError(response.error.code, response.error.message, response.error));
    pump();
  }

  function failRunning(error: AskDbError): void {
    if (!running) return;
    finishRunning().job.reject(error);
    pump();
  }

  function failQueued(error: AskDbError): void {
    for (const job of queue.splice(0)) job.reject(error);
  }

  function finishRunning(): NonNullable<typeof running> {
    const finished = running!;
    running = undefined;
    clearTimeout(finished.timer);
    finished.stopWatching();
    finished.job.signal?.removeEventListener("abort", finished.onAbort);
    return finished;
  }

  /** Kills the query process (the only way to stop SQLite mid-step), fails the running query and starts a fresh process. */
  function stopRunning(error: AskDbError): void {
    child?.process.kill("SIGKILL");
    child = closed ? undefined : spawnChild();
    failRunning(error);
  }

  function pump(): void {
    if (running || closed) return;
    if (queue.length === 0) {
      if (child) holdProcessOpen(child, false);
      return;
    }
    child ??= spawnChild();
    holdProcessOpen(child, true);
    if (!child.ready) return;
    const job = queue.shift()!;
    const onAbort = () => stopRunning(cancelled());
    const timer = setTimeout(() => stopRunning(timedOut(job.timeoutMs)), job.timeoutMs);
    const stopWatching = watchResidentMemory(child.process.pid, defaults.maxMemoryBytes, (rss) => stopRunning(tooMuchMemory(rss, defaults.maxMemoryBytes)));
    running = { job, timer, onAbort, stopWatching };
    job.signal?.addEventListener("abort", onAbort, { once: true });
    child.process.send(job.request);
  }

  return {
    dbPath,
    execute(sql, executeOptions = {}) {
      if (closed) return Promise.reject(new AskDbError("CANCELLED", "the query executor is closed"));
      if (executeOptions.signal?.aborted) return Promise.reject(cancelled());
      return new Promise<QueryResult>((resolve, reject) => {
        const job: Job = {
          request: {
            id: nextId++,
            sql,
            maxRows: executeOptions.maxRows ?? defaults.maxRows,
            maxResultBytes: executeOptions.maxResultBytes ?? defaults.maxResultBytes,
          },
          timeoutMs: executeOptions.timeoutMs ?? defaults.timeoutMs,
          signal: executeOptions.signal,
          resolve,
          reject,
        };
        executeOptions.signal?.addEventListener("abort", () => dropQueued(job), { once: true });
        queue.push(job);
        pump();
      });
    },
    async close() {
      closed = true;
      failQueued(new AskDbError("CANCELLED", "the query executor was closed"));
      stopRunning(new AskDbError("CANCELLED", "the query executor was closed"));
    },
  };

  function dropQueued(job: Job): void {
    const index = queue.indexOf(job);
    if (index === -1) return;
    queue.splice(index, 1);
    job.reject(cancelled());
  }
}

/** An idle query process must not keep the program alive; a busy one must. */
function holdProcessOpen(worker: QueryProcess, hold: boolean): void {
  if (hold) {
    worker.process.ref();
    worker.process.channel?.ref();
  } else {
    worker.process.unref();
    worker.process.channel?.unref();
  }
}

function timedOut(timeoutMs: number): AskDbError {
  return new AskDbError("SQL_TIMEOUT", `the query was stopped after ${formatMs(timeoutMs)}, its time limit`, {
    hint: "make the query cheaper (filter with WHERE, avoid cross joins), or raise the limit: --timeout-ms on the CLI, timeoutMs in the API",
    details: { timeoutMs },
  });
}

function tooMuchMemory(rssBytes: number, limitBytes: number): AskDbError {
  return new AskDbError("SQL_REFUSED", `refused: the query used more than ${formatBytes(limitBytes)} of memory (${formatBytes(rssBytes)}) and was stopped`, {
    hint: "select smaller values (substr, length) or fewer rows; huge blobs and strings cannot be returned",
    details: { rssBytes, limitBytes },
  });
}

function cancelled(): AskDbError {
  return new AskDbError("CANCELLED", "the query was cancelled");
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The query process's entry: the compiled worker.js, or worker.ts through tsx when running from source. */
const WORKER = (() => {
  const fromSource = import.meta.url.endsWith(".ts");
  const file = fileURLToPath(new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url));
  if (!fromSource) return { file, execArgv: [] as string[], env: {} };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  // tsx would otherwise keep a compile cache in the temp folder.
  return { file, execArgv: ["--import", tsx], env: { TSX_DISABLE_CACHE: "1" } };
})();
