/** One download in memory: its plan, where it stands, and the promise its waiters hold. */
import type { AskDbError } from "../errors/index.js";
import type { InstalledModel } from "./registry.js";
import type { ResolvedModel } from "./resolve.js";
import { SpeedMeter } from "./speed.js";
import { percentOf, type DownloadProgress, type DownloadStatus } from "./download-progress.js";

/** What the queue persists: the resolved plan without request headers (a token is never stored). */
export type DownloadPlan = Omit<ResolvedModel, "headers">;

export interface Deferred {
  promise: Promise<InstalledModel>;
  resolve: (model: InstalledModel) => void;
  reject: (error: unknown) => void;
  settled: boolean;
}

export interface Job {
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

/** Why a running transfer was stopped on purpose. */
export class StopRequest extends Error {
  constructor(readonly kind: "pause" | "cancel") {
    super(kind === "pause" ? "download paused" : "download cancelled");
  }
}

/** A queued job (the caller sets another status when it restores one). */
export function newJob(
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

export function deferred(): Deferred {
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

/** Request headers may carry a token: they are never stored. */
export function withoutHeaders(plan: ResolvedModel): DownloadPlan {
  const { headers: _headers, ...persistable } = plan;
  return persistable;
}

export function progressOfJob(job: Job): DownloadProgress {
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
