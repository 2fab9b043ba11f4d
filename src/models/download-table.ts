/** The `downloads` table: every job is a row, so a later process can list and resume it. */
import type { Store } from "../store/index.js";
import { newJob, type DownloadPlan, type Job } from "./download-job.js";
import { percentOf, type DownloadProgress, type DownloadStatus } from "./download-progress.js";

export interface DownloadRow {
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

export class DownloadTable {
  constructor(private readonly store: Store) {}

  /** Every row, newest first. */
  all(): DownloadRow[] {
    return this.store.db.prepare<[], DownloadRow>("SELECT * FROM downloads ORDER BY created_at DESC").all();
  }

  get(id: string): DownloadRow | undefined {
    return this.store.db.prepare<[string], DownloadRow>("SELECT * FROM downloads WHERE id = ?").get(id);
  }

  /** The newest failed or cancelled download of this URL. */
  lastStopped(url: string): DownloadRow | undefined {
    return this.store.db
      .prepare<[string], DownloadRow>(
        "SELECT * FROM downloads WHERE url = ? AND status IN ('failed', 'cancelled') ORDER BY created_at DESC LIMIT 1",
      )
      .get(url);
  }

  /** Downloads an earlier process left before they finished. */
  unfinished(): DownloadRow[] {
    return this.store.db
      .prepare<[], DownloadRow>(
        "SELECT * FROM downloads WHERE status IN ('queued', 'downloading', 'paused', 'verifying')",
      )
      .all();
  }

  insert(job: Job): void {
    this.store.db
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

  /** Writes the job's status, byte counts, etag and error. */
  update(job: Job): void {
    this.store.db
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
}

/** A job again from its row (status "queued": the caller sets the one it restores). */
export function jobFromRow(row: DownloadRow, plan: DownloadPlan): Job {
  return newJob(row.id, plan, row.part_path, row.total_bytes, row.etag, row.downloaded_bytes, row.created_at);
}

/** The progress of a download no job holds in memory (finished, or left by an earlier process). */
export function progressOfRow(row: DownloadRow): DownloadProgress {
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
