import type { DownloadProgress, ProgressView } from "../api/index.js";
import { formatBytes, formatEta, formatSpeed } from "../lib/format.js";
import { Button, ProgressBar } from "./ui.js";

const ACTIVE: DownloadProgress["status"][] = ["queued", "downloading", "verifying"];

export function isDownloading(progress: DownloadProgress | null | undefined): boolean {
  return !!progress && ACTIVE.includes(progress.status);
}

export function DownloadProgressView({
  progress,
  onCancel,
  cancelling,
}: {
  progress: Pick<
    ProgressView,
    "status" | "downloaded_bytes" | "total_bytes" | "percentage" | "speed" | "eta" | "stalled"
  >;
  onCancel?: () => void;
  cancelling?: boolean;
}) {
  const verifying = progress.status === "verifying";
  return (
    <div className="space-y-2" data-testid="download-progress">
      <ProgressBar value={progress.percentage} label="Download progress" />
      <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
        <span className="font-medium tabular-nums">
          {formatBytes(progress.downloaded_bytes)} / {formatBytes(progress.total_bytes)}
          <span className="ml-2 text-slate-500 dark:text-slate-400">{progress.percentage.toFixed(0)}%</span>
        </span>
        <span className="flex items-center gap-3 text-slate-500 tabular-nums dark:text-slate-400">
          {verifying ? (
            <span>Checking the file…</span>
          ) : progress.status === "queued" ? (
            <span>Starting…</span>
          ) : progress.stalled ? (
            <span role="status">No data for a few seconds; askdb keeps trying…</span>
          ) : (
            <>
              <span>{formatSpeed(progress.speed)}</span>
              <span>{formatEta(progress.eta)} left</span>
            </>
          )}
          {onCancel ? (
            <Button
              size="sm"
              variant="ghost"
              icon="stop"
              busy={cancelling}
              onClick={onCancel}
              disabled={verifying}
            >
              Cancel
            </Button>
          ) : null}
        </span>
      </div>
    </div>
  );
}
