import { unlink, stat, statfs } from "node:fs/promises";
import { join } from "node:path";
import { AskDbError, toAskDbError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import { formatBytes, newId } from "../util/index.js";
import type { InstalledModel } from "./registry.js";
import type { ResolvedModel } from "./resolve.js";
import { SpeedMeter } from "./speed.js";
import { transferToPart, type TransferResult } from "./transfer.js";

export type DownloadStatus =
  "queued" | "downloading" | "paused" | "verifying" | "completed" | "failed" | "cancelled";

export interface DownloadProgress {
  id: string;
  modelId: string;
  fileName: string;
  url: string;
  status: DownloadStatus;
  downloadedBytes: number;
  totalBytes: number | null;
  percent: number | null;
  /** Moving average over the last few seconds. */
  bytesPerSecond: number;
  etaSeconds: number | null;
  error?: { code: string; message: string; hint?: string };
  /** Set while waiting to retry after a network error or a stall. */
  retry?: { attempt: number; of: number; reason: string; delaySeconds: number };
}

export type DownloadListener = (progress: DownloadProgress) => void;

/** What the queue persists: the resolved plan without request headers (a token is never stored). */
export type DownloadPlan = Omit<ResolvedModel, "headers">;

export interface DownloadQueueOptions {
  store: Store;
  modelsDir: string;
  partsDir: string;
  maxParallel: number;
  stallTimeoutMs: number;
  retries: number;
  retryBaseDelayMs: number;
  progressIntervalMs: number;
  headersFor: (plan: DownloadPlan) => Record<string, string>;
  freeDiskBytes: (dir: string) => Promise<number>;
  /** Verifies the finished part file and installs it; throws (and removes the part) when it fails. */
  install: (plan: DownloadPlan, partPath: string, result: TransferResult) => Promise<InstalledModel>;
}

interface Deferred {
  promise: Promise<InstalledModel>;
  resolve: (model: InstalledModel) => void;
  reject: (error: unknown) => void;
  settled: boolean;
}

interface Job {
  id: string;
  plan: DownloadPlan;
  partPath: string;
  status: DownloadStatus;
  downloadedBytes: number;
  totalBytes: number | null;
  etag: string | null;
  error?: AskDbError;
  retry?: DownloadProgress["retry"];
  createdAt: string;
  controller?: AbortController;
  running?: Promise<void>;
  speed: SpeedMeter;
  deferred: Deferred;
  lastEmit: number;
  lastPersist: number;
}

interface DownloadRow {
  id: string;
  model_id: string;
  url: string;
  file_name: string;
  part_path: string;
  total_bytes: number | null;
  downloaded_bytes: number;
  expected_sha256: string | null;
  etag: string | null;
  status: DownloadStatus;
  error: string | null;
  plan_json: string | null;
  created_at: string;
}

/** Why a running transfer was stopped on purpose. */
class StopRequest extends Error {
  constructor(readonly kind: "pause" | "cancel") {
    super(kind === "pause" ? "download paused" : "download cancelled");
  }
}

const PERSIST_INTERVAL_MS = 1000;
/** Room left on the disk beyond the file itself, so a download never fills it to the last byte. */
const DISK_MARGIN_BYTES = 100 * 1024 * 1024;

/**
 * Downloads, one job per file: queued → downloading → verifying → completed | failed | cancelled
 * (and paused). Jobs live in the `downloads` table, so a later process resumes what this one left.
 */
export class DownloadQueue {
  private readonly jobs = new Map<string, Job>();
  private readonly listeners = new Set<DownloadListener>();

  constructor(private readonly options: DownloadQueueOptions) {
    this.loadUnfinished();
  }

  /** Starts (or joins) the download of a resolved model; two pulls of one file share one job. */
  async enqueue(plan: ResolvedModel): Promise<Job> {
    const existing = this.findJob(plan) ?? this.reviveFinishedRow(plan);
    if (existing) {
      if (existing.status === "paused" || existing.status === "failed" || existing.status === "cancelled")
        this.requeue(existing);
      return existing;
    }
    const partPath = join(this.options.partsDir, `${plan.fileName}.part`);
    const sameName = [...this.jobs.values()].find(
      (job) => job.partPath === partPath && job.status !== "completed",
    );
    if (sameName) {
      throw new AskDbError(
        "CONFLICT",
        `another download is writing a file named ${plan.fileName} (${sameName.plan.sourceRef})`,
        {
          hint: `wait for it to finish or cancel it (\`askdb models downloads\`), then pull again`,
        },
      );
    }
    // A partial file nobody remembers may belong to another file: keep it only when a sha256 will check it.
    if (plan.sha256 === null) await unlink(partPath).catch(() => undefined);
    const job = this.newJob(newId("dl"), withoutHeaders(plan), partPath, null, null, 0);
    this.insertRow(job);
    this.jobs.set(job.id, job);
    this.emit(job, true);
    this.pump();
    return job;
  }

  list(): DownloadProgress[] {
    const rows = this.options.store.db
      .prepare<[], DownloadRow>("SELECT * FROM downloads ORDER BY created_at DESC")
      .all();
    return rows.map((row) =>
      this.jobs.has(row.id) ? this.progressOf(this.jobs.get(row.id)!) : progressOfRow(row),
    );
  }

  get(id: string): DownloadProgress | undefined {
    const job = this.jobs.get(id);
    if (job) return this.progressOf(job);
    const row = this.row(id);
    return row ? progressOfRow(row) : undefined;
  }

  /** Resolves with the installed model, or rejects with why the download failed or was cancelled. */
  wait(id: string): Promise<InstalledModel> {
    return this.requireJob(id).deferred.promise;
  }

  subscribe(listener: DownloadListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the transfer and keeps the `.part` file; `resume` continues from it. */
  async pause(id: string): Promise<DownloadProgress> {
    const job = this.requireJob(id);
    if (job.status === "downloading") await this.stop(job, "pause");
    else if (job.status === "queued") this.setStatus(job, "paused");
    return this.progressOf(job);
  }

  resume(id: string): DownloadProgress {
    const job = this.requireJob(id);
    if (job.status === "paused" || job.status === "failed" || job.status === "cancelled") this.requeue(job);
    return this.progressOf(job);
  }

  /** Cancels; the `.part` file stays for a later pull to resume unless `discard` is set. */
  async cancel(id: string, options: { discard?: boolean } = {}): Promise<DownloadProgress> {
    const job = this.requireJob(id);
    if (job.status === "downloading") await this.stop(job, "cancel");
    else if (job.status !== "completed" && job.status !== "verifying") this.settleCancelled(job);
    if (options.discard && job.status === "cancelled") {
      await unlink(job.partPath).catch(() => undefined);
      job.downloadedBytes = 0;
      this.persist(job);
    }
    return this.progressOf(job);
  }

  /** Pauses every running transfer (keeping the `.part` files); for a clean process exit. */
  async close(): Promise<void> {
    await Promise.all(
      [...this.jobs.values()]
        .filter((job) => job.status === "downloading")
        .map((job) => this.stop(job, "pause")),
    );
    for (const job of this.jobs.values()) if (job.status === "queued") this.setStatus(job, "paused");
  }

  private findJob(plan: ResolvedModel): Job | undefined {
    return [...this.jobs.values()].find((job) => job.plan.url === plan.url && job.status !== "completed");
  }

  /** A failed or cancelled download from an earlier process: pulling the same file again resumes it. */
  private reviveFinishedRow(plan: ResolvedModel): Job | undefined {
    const row = this.options.store.db
      .prepare<[string], DownloadRow>(
        "SELECT * FROM downloads WHERE url = ? AND status IN ('failed', 'cancelled') ORDER BY created_at DESC LIMIT 1",
      )
      .get(plan.url);
    if (!row) return undefined;
    const job = this.newJob(
      row.id,
      withoutHeaders(plan),
      row.part_path,
      row.total_bytes,
      row.etag,
      row.downloaded_bytes,
      row.created_at,
    );
    job.status = row.status;
    this.jobs.set(job.id, job);
    return job;
  }

  private loadUnfinished(): void {
    const rows = this.options.store.db
      .prepare<[], DownloadRow>(
        "SELECT * FROM downloads WHERE status IN ('queued', 'downloading', 'paused', 'verifying')",
      )
      .all();
    for (const row of rows) {
      if (!row.plan_json) continue;
      const plan = JSON.parse(row.plan_json) as DownloadPlan;
      const job = this.newJob(
        row.id,
        plan,
        row.part_path,
        row.total_bytes,
        row.etag,
        row.downloaded_bytes,
        row.created_at,
      );
      // Whatever ran in an earlier process stopped with it; it waits for a resume or a new pull.
      job.status = "paused";
      this.jobs.set(job.id, job);
      this.persist(job);
    }
  }

  private newJob(
    id: string,
    plan: DownloadPlan,
    partPath: string,
    totalBytes: number | null,
    etag: string | null,
    downloadedBytes: number,
    createdAt = new Date().toISOString(),
  ): Job {
    return {
      id,
      plan,
      partPath,
      status: "queued",
      downloadedBytes,
      totalBytes: totalBytes ?? plan.sizeBytes,
      etag,
      createdAt,
      speed: new SpeedMeter(),
      deferred: deferred(),
      lastEmit: 0,
      lastPersist: 0,
    };
  }

  private requeue(job: Job): void {
    if (job.deferred.settled) job.deferred = deferred();
    job.error = undefined;
    this.setStatus(job, "queued");
    this.pump();
  }

  private pump(): void {
    const running = [...this.jobs.values()].filter(
      (job) => job.status === "downloading" || job.status === "verifying",
    ).length;
    const queued = [...this.jobs.values()]
      .filter((job) => job.status === "queued")
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    for (const job of queued.slice(0, Math.max(0, this.options.maxParallel - running))) {
      job.running = this.run(job).finally(() => this.pump());
    }
  }

  private async run(job: Job): Promise<void> {
    const controller = new AbortController();
    job.controller = controller;
    job.speed = new SpeedMeter();
    this.setStatus(job, "downloading");
    try {
      await this.checkDiskSpace(job);
      const result = await transferToPart({
        url: job.plan.url,
        headers: this.options.headersFor(job.plan),
        partPath: job.partPath,
        expectedSize: job.plan.sizeBytes,
        etag: job.etag,
        signal: controller.signal,
        stallTimeoutMs: this.options.stallTimeoutMs,
        retries: this.options.retries,
        retryBaseDelayMs: this.options.retryBaseDelayMs,
        onProgress: (downloaded, total) => this.onBytes(job, downloaded, total),
        onRetry: (attempt, reason, delayMs) => {
          job.retry = { attempt, of: this.options.retries, reason, delaySeconds: delayMs / 1000 };
          this.emit(job, true);
        },
        onRemote: ({ etag, totalBytes }) => {
          job.etag = etag;
          job.totalBytes = totalBytes ?? job.totalBytes;
          this.persist(job);
        },
      });
      job.downloadedBytes = result.bytes;
      this.setStatus(job, "verifying");
      const model = await this.options.install(job.plan, job.partPath, result);
      this.setStatus(job, "completed");
      job.deferred.settled = true;
      job.deferred.resolve(model);
    } catch (error) {
      this.settleStopped(job, controller.signal.aborted ? (controller.signal.reason as StopRequest) : error);
    } finally {
      job.controller = undefined;
    }
  }

  private settleStopped(job: Job, error: unknown): void {
    if (error instanceof StopRequest && error.kind === "pause") {
      this.setStatus(job, "paused");
      return;
    }
    if (error instanceof StopRequest) {
      this.settleCancelled(job);
      return;
    }
    job.error = toAskDbError(error);
    this.setStatus(job, "failed");
    job.deferred.settled = true;
    job.deferred.reject(job.error);
  }

  private settleCancelled(job: Job): void {
    this.setStatus(job, "cancelled");
    job.deferred.settled = true;
    job.deferred.reject(
      new AskDbError("CANCELLED", `the download of ${job.plan.modelId} was cancelled`, {
        hint: `run \`askdb models pull ${job.plan.sourceRef}\` to resume it`,
      }),
    );
  }

  private async stop(job: Job, kind: "pause" | "cancel"): Promise<void> {
    job.controller?.abort(new StopRequest(kind));
    await job.running;
  }

  private async checkDiskSpace(job: Job): Promise<void> {
    if (job.totalBytes === null) return;
    const onDisk = await stat(job.partPath).then(
      (s) => s.size,
      () => 0,
    );
    const needed = job.totalBytes - onDisk;
    const free = await this.options.freeDiskBytes(this.options.modelsDir);
    if (needed + DISK_MARGIN_BYTES > free) {
      throw new AskDbError(
        "DISK_FULL",
        `not enough disk space for ${job.plan.fileName}: it needs ${formatBytes(needed)} more, ${formatBytes(free)} is free in ${this.options.modelsDir}`,
        {
          hint: "free some space, or keep models on another disk with --models-dir (or ASKDB_MODELS_DIR)",
          details: { neededBytes: needed, freeBytes: free },
        },
      );
    }
  }

  private onBytes(job: Job, downloaded: number, total: number | null): void {
    job.retry = undefined;
    job.downloadedBytes = downloaded;
    job.totalBytes = total ?? job.totalBytes;
    job.speed.add(downloaded);
    const now = Date.now();
    if (now - job.lastPersist >= PERSIST_INTERVAL_MS) this.persist(job);
    if (now - job.lastEmit >= this.options.progressIntervalMs) this.emit(job);
  }

  private setStatus(job: Job, status: DownloadStatus): void {
    job.status = status;
    job.retry = undefined;
    this.persist(job);
    this.emit(job, true);
  }

  private emit(job: Job, force = false): void {
    if (!force && this.listeners.size === 0) return;
    job.lastEmit = Date.now();
    const progress = this.progressOf(job);
    for (const listener of this.listeners) listener(progress);
  }

  private progressOf(job: Job): DownloadProgress {
    const bytesPerSecond = job.status === "downloading" ? job.speed.bytesPerSecond() : 0;
    const remaining = job.totalBytes === null ? null : Math.max(0, job.totalBytes - job.downloadedBytes);
    return {
      id: job.id,
      modelId: job.plan.modelId,
      fileName: job.plan.fileName,
      url: job.plan.url,
      status: job.status,
      downloadedBytes: job.downloadedBytes,
      totalBytes: job.totalBytes,
      percent: percentOf(job.downloadedBytes, job.totalBytes),
      bytesPerSecond,
      etaSeconds: remaining !== null && bytesPerSecond > 0 ? remaining / bytesPerSecond : null,
      ...(job.error
        ? { error: { code: job.error.code, message: job.error.message, hint: job.error.hint } }
        : {}),
      ...(job.retry ? { retry: job.retry } : {}),
    };
  }

  private insertRow(job: Job): void {
    this.options.store.db
      .prepare(
        `INSERT INTO downloads (id, model_id, url, file_name, part_path, total_bytes, downloaded_bytes, expected_sha256, etag, status, plan_json, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        job.id,
        job.plan.modelId,
        job.plan.url,
        job.plan.fileName,
        job.partPath,
        job.totalBytes,
        job.downloadedBytes,
        job.plan.sha256,
        job.etag,
        job.status,
        JSON.stringify(job.plan),
        job.createdAt,
        job.createdAt,
      );
  }

  private persist(job: Job): void {
    job.lastPersist = Date.now();
    this.options.store.db
      .prepare(
        "UPDATE downloads SET status = ?, downloaded_bytes = ?, total_bytes = ?, etag = ?, error = ?, updated_at = ? WHERE id = ?",
      )
      .run(
        job.status,
        job.downloadedBytes,
        job.totalBytes,
        job.etag,
        job.error ? JSON.stringify(job.error.toJSON().error) : null,
        new Date().toISOString(),
        job.id,
      );
  }

  private row(id: string): DownloadRow | undefined {
    return this.options.store.db
      .prepare<[string], DownloadRow>("SELECT * FROM downloads WHERE id = ?")
      .get(id);
  }

  private requireJob(id: string): Job {
    const job = this.jobs.get(id);
    if (!job) {
      throw new AskDbError("NOT_FOUND", `no active download "${id}"`, {
        hint: "run `askdb models downloads` to list downloads",
      });
    }
    return job;
  }
}

/** Request headers may carry a token: they are never stored. */
function withoutHeaders(plan: ResolvedModel): DownloadPlan {
  const { headers: _headers, ...persistable } = plan;
  return persistable;
}

function deferred(): Deferred {
  let resolve!: (model: InstalledModel) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<InstalledModel>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting (a UI that only watches events): a failure must not crash the process.
  promise.catch(() => undefined);
  return { promise, resolve, reject, settled: false };
}

function percentOf(done: number, total: number | null): number | null {
  if (!total) return null;
  return Math.min(100, Math.round((done / total) * 1000) / 10);
}

function progressOfRow(row: DownloadRow): DownloadProgress {
  const error = row.error ? (JSON.parse(row.error) as DownloadProgress["error"]) : undefined;
  return {
    id: row.id,
    modelId: row.model_id,
    fileName: row.file_name,
    url: row.url,
    status: row.status,
    downloadedBytes: row.downloaded_bytes,
    totalBytes: row.total_bytes,
    percent: percentOf(row.downloaded_bytes, row.total_bytes),
    bytesPerSecond: 0,
    etaSeconds: null,
    ...(error ? { error } : {}),
  };
}

export async function freeDiskBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return Number(stats.bavail) * Number(stats.bsize);
}
