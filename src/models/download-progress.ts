/** What a download reports to its listeners (and to `askdb models downloads`). */

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

/** Percent done, to one decimal; null while the total size is unknown. */
export function percentOf(done: number, total: number | null): number | null {
  if (!total) return null;
  return Math.min(100, Math.round((done / total) * 1000) / 10);
}
