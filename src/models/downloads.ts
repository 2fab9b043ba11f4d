import { unlink, stat, statfs } from "node:fs/promises";
import { join } from "node:path";
import { AskDbError, toAskDbError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import { formatBytes, newId } from "../util/index.js";
import {
  deferred,
  newJob,
  progressOfJob,
  StopRequest,
  withoutHeaders,
  type DownloadPlan,
  type Job,
} from "./download-job.js";
import type { DownloadListener, DownloadProgress, DownloadStatus } from "./download-progress.js";
import { DownloadTable, jobFromRow, progressOfRow } from "./download-table.js";
import type { InstalledModel } from "./registry.js";
import type { ResolvedModel } from "./resolve.js";
import { SpeedMeter } from "./speed.js";
import { transferToPart, type TransferResult } from "./transfer.js";

export type { DownloadListener, DownloadProgress, DownloadStatus } from "./download-progress.js";
export type { DownloadPlan } from "./download-job.js";

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
  private readonly table: DownloadTable;

  constructor(private readonly options: DownloadQueueOptions) {
    this.table = new DownloadTable(options.store);
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
    const job = newJob(newId("dl"), withoutHeaders(plan), partPath, null, null, 0);
    this.table.insert(job);
    this.jobs.set(job.id, job);
    this.emit(job, true);
    this.pump();
    return job;
  }

  list(): DownloadProgress[] {
    return this.table
      .all()
      .map((row) => (this.jobs.has(row.id) ? progressOfJob(this.jobs.get(row.id)!) : progressOfRow(row)));
  }

  get(id: string): DownloadProgress | undefined {
    const job = this.jobs.get(id);
    if (job) return progressOfJob(job);
    const row = this.table.get(id);
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
    return progressOfJob(job);
  }

  resume(id: string): DownloadProgress {
    const job = this.requireJob(id);
    if (job.status === "paused" || job.status === "failed" || job.status === "cancelled") this.requeue(job);
    return progressOfJob(job);
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
    return progressOfJob(job);
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
    const row = this.table.lastStopped(plan.url);
    if (!row) return undefined;
    const job = jobFromRow(row, withoutHeaders(plan));
    job.status = row.status;
    this.jobs.set(job.id, job);
    return job;
  }

  private loadUnfinished(): void {
    for (const row of this.table.unfinished()) {
      if (!row.plan_json) continue;
      const job = jobFromRow(row, JSON.parse(row.plan_json) as DownloadPlan);
      // Whatever ran in an earlier process stopped with it; it waits for a resume or a new pull.
      job.status = "paused";
      this.jobs.set(job.id, job);
      this.persist(job);
    }
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
    const progress = progressOfJob(job);
    for (const listener of this.listeners) listener(progress);
  }

  private persist(job: Job): void {
    job.lastPersist = Date.now();
    this.table.update(job);
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

export async function freeDiskBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return Number(stats.bavail) * Number(stats.bsize);
}
