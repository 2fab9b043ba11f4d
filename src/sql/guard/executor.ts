import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { AskDbError } from "../../errors/index.js";
import { formatBytes } from "../../util/index.js";
import { assertSqliteFile } from "../connect/index.js";
import { checkSqlText } from "./check.js";
import { watchResidentMemory } from "./memory-watch.js";
import type { QueryRequest, QueryResponse, WorkerMessage } from "./protocol.js";
import { DEFAULT_LIMITS, type QueryLimits, type QueryResult } from "./types.js";

export interface QueryExecutorOptions extends Partial<QueryLimits> {
  /** Default time limit per query, in milliseconds. */
  timeoutMs?: number;
  /** A query process is stopped when its resident memory passes this (Linux only). */
  maxMemoryBytes?: number;
  /** Query processes running at once (each holds its own connection); default 2. */
  concurrency?: number;
  /** Queries waiting at most; one more is refused with BUSY (retry later); default 64. */
  maxQueue?: number;
}

export interface ExecuteOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  maxRows?: number;
  maxResultBytes?: number;
}

export interface ExecutorStatus {
  /** Query processes alive, of which `ready` can take queries and `running` are busy. */
  processes: number;
  ready: number;
  running: number;
  queued: number;
}

export interface QueryExecutor {
  readonly dbPath: string;
  status(): ExecutorStatus;
  /** Checks and runs one read-only query off the main thread; stopped at the deadline or on abort. */
  execute(sql: string, options?: ExecuteOptions): Promise<QueryResult>;
  close(): Promise<void>;
}

interface Job {
  request: QueryRequest;
  timeoutMs: number;
  signal?: AbortSignal;
  resolve(result: QueryResult): void;
  reject(error: AskDbError): void;
}

interface QueryProcess {
  process: ChildProcess;
  /** Set when the process has loaded and can take queries (start-up time is not a query's time). */
  ready: boolean;
  stderr: string;
  running?: { job: Job; timer: NodeJS.Timeout; onAbort: () => void; stopWatching: () => void };
}

const EXECUTOR_DEFAULTS = { ...DEFAULT_LIMITS, concurrency: 2, maxQueue: 64 };

/**
 * Runs queries on one database in separate processes, each holding its own read-only connection.
 * Processes, not worker threads: `worker.terminate()` cannot interrupt SQLite inside a long step
 * (and then even blocks the parent's exit), while killing a process always stops it at once.
 * Queries start in arrival order on the first free process; the time limit counts from a query's
 * start, and a process's own start-up does not count against it.
 */
export function createQueryExecutor(dbPath: string, options: QueryExecutorOptions = {}): QueryExecutor {
  assertSqliteFile(dbPath);
  const settings = { ...EXECUTOR_DEFAULTS, ...definedOnly(options) };
  const queue: Job[] = [];
  const workers = new Set<QueryProcess>();
  let nextId = 1;
  let closed = false;

  function spawnWorker(): QueryProcess {
    const spawned = fork(WORKER.file, [dbPath], {
      execArgv: [...WORKER.execArgv, "--max-old-space-size=512"],
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      env: { ...process.env, ...WORKER.env },
    });
    const worker: QueryProcess = { process: spawned, ready: false, stderr: "" };
    workers.add(worker);
    spawned.stderr?.on(
      "data",
      (chunk: Buffer) => (worker.stderr = (worker.stderr + chunk.toString()).slice(-2000)),
    );
    spawned.on("message", (message: WorkerMessage) => {
      if ("ready" in message) {
        worker.ready = true;
        pump();
      } else settle(worker, message);
    });
    spawned.on("exit", (code, signal) => onExit(worker, signal ?? `exit code ${code}`));
    // A failed spawn or send: without a listener, the 'error' event would crash the whole program.
    spawned.on("error", (error) => {
      spawned.kill("SIGKILL");
      onExit(worker, error.message);
    });
    holdProcessOpen(worker, false);
    return worker;
  }

  function onExit(worker: QueryProcess, how: string): void {
    if (!workers.delete(worker)) return;
    const details = { stderr: worker.stderr.trim() };
    if (!worker.ready) {
      failQueued(new AskDbError("INTERNAL", `the query process could not start (${how})`, { details }));
      return;
    }
    const hint = "select fewer or smaller values";
    fail(
      worker,
      new AskDbError(
        "SQL_ERROR",
        `the query process stopped unexpectedly (${how}); the query may need too much memory`,
        { hint, details },
      ),
    );
  }

  function settle(worker: QueryProcess, response: QueryResponse): void {
    if (worker.running?.job.request.id !== response.id) return;
    const job = finish(worker);
    if (response.ok) job.resolve(response.result);
    else job.reject(new AskDbError(response.error.code, response.error.message, response.error));
    pump();
  }

  function fail(worker: QueryProcess, error: AskDbError): void {
    if (!worker.running) return;
    finish(worker).reject(error);
    pump();
  }

  function failQueued(error: AskDbError): void {
    for (const job of queue.splice(0)) job.reject(error);
  }

  function finish(worker: QueryProcess): Job {
    const running = worker.running!;
    worker.running = undefined;
    clearTimeout(running.timer);
    running.stopWatching();
    running.job.signal?.removeEventListener("abort", running.onAbort);
    holdProcessOpen(worker, false);
    return running.job;
  }

  /** Kills a query process (the only way to stop SQLite mid-step), fails its query and starts a fresh one. */
  function stop(worker: QueryProcess, error: AskDbError): void {
    workers.delete(worker);
    worker.process.kill("SIGKILL");
    if (!closed) spawnWorker();
    fail(worker, error);
  }

  /** Starts waiting queries on idle processes, and more processes (up to `concurrency`) for the rest. */
  function pump(): void {
    if (closed) return;
    for (const worker of workers) {
      if (queue.length === 0) return;
      if (worker.ready && !worker.running) start(worker, queue.shift()!);
    }
    let starting = [...workers].filter((worker) => !worker.ready).length;
    while (starting < queue.length && workers.size < settings.concurrency) {
      spawnWorker();
      starting += 1;
    }
  }

  function start(worker: QueryProcess, job: Job): void {
    holdProcessOpen(worker, true);
    const onAbort = () => stop(worker, cancelled());
    const timer = setTimeout(() => stop(worker, timedOut(job.timeoutMs)), job.timeoutMs);
    const stopWatching = watchResidentMemory(worker.process.pid, settings.maxMemoryBytes, (rss) =>
      stop(worker, tooMuchMemory(rss, settings.maxMemoryBytes)),
    );
    worker.running = { job, timer, onAbort, stopWatching };
    job.signal?.addEventListener("abort", onAbort, { once: true });
    worker.process.send(job.request);
  }

  function dropQueued(job: Job): void {
    const index = queue.indexOf(job);
    if (index === -1) return;
    queue.splice(index, 1);
    job.reject(cancelled());
  }

  return {
    dbPath,
    status() {
      const all = [...workers];
      return {
        processes: all.length,
        ready: all.filter((worker) => worker.ready).length,
        running: all.filter((worker) => worker.running).length,
        queued: queue.length,
      };
    },
    execute(sql, executeOptions = {}) {
      if (closed) return Promise.reject(new AskDbError("CANCELLED", "the query executor is closed"));
      if (executeOptions.signal?.aborted) return Promise.reject(cancelled());
      if (queue.length >= settings.maxQueue) return Promise.reject(busy(queue.length));
      try {
        checkSqlText(sql); // refuse early, without a round trip (the query process checks again)
      } catch (error) {
        return Promise.reject(error);
      }
      return new Promise<QueryResult>((resolve, reject) => {
        const job: Job = {
          request: {
            id: nextId++,
            sql,
            maxRows: executeOptions.maxRows ?? settings.maxRows,
            maxResultBytes: executeOptions.maxResultBytes ?? settings.maxResultBytes,
          },
          timeoutMs: executeOptions.timeoutMs ?? settings.timeoutMs,
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
      for (const worker of [...workers])
        stop(worker, new AskDbError("CANCELLED", "the query executor was closed"));
    },
  };
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
  return new AskDbError(
    "SQL_REFUSED",
    `refused: the query went over its memory limit of ${formatBytes(limitBytes)} and was stopped`,
    {
      hint: "select smaller values (substr, length) or fewer rows; huge blobs and strings cannot be returned",
      details: { rssBytes, limitBytes },
    },
  );
}

function busy(waiting: number): AskDbError {
  return new AskDbError("BUSY", `busy: ${waiting} queries are already waiting for this database`, {
    hint: "retry in a moment",
    retryAfterSeconds: 1,
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
