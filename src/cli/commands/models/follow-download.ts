/** The progress of a `models pull` on stderr (a bar on a terminal, else lines); Ctrl-C pauses the download. */
import cliProgress from "cli-progress";
import { AskDbError } from "../../../errors/index.js";
import type {
  DownloadHandle,
  DownloadProgress,
  InstalledModel,
  ModelManager,
} from "../../../models/index.js";
import { formatBytes, formatDuration } from "../../../util/index.js";

/** Shows a progress bar until the download settles; Ctrl-C pauses it (the .part stays) and exits. */
export async function followDownload(
  manager: ModelManager,
  handle: DownloadHandle,
  spec: string,
  quiet: boolean,
): Promise<InstalledModel> {
  const bar = quiet || !process.stderr.isTTY ? undefined : newProgressBar();
  let lastStatus = "";
  const unsubscribe = manager.downloads.subscribe((progress) => {
    if (progress.id !== handle.id) return;
    if (bar) updateBar(bar, progress);
    else if (!quiet && progress.retry) process.stderr.write(`${describeRetry(progress.retry)}\n`);
    else if (!quiet && progress.status !== lastStatus)
      process.stderr.write(`${progress.status} ${progress.fileName}\n`);
    lastStatus = progress.status;
  });
  if (bar) bar.start(1, 0, barPayload(handle.progress));
  let interrupted!: () => void;
  const onInterrupt = new Promise<"interrupted">((resolve) => (interrupted = () => resolve("interrupted")));
  process.once("SIGINT", interrupted);
  try {
    const outcome = await Promise.race([handle.done, onInterrupt]);
    if (outcome !== "interrupted") return outcome;
    await manager.downloads.pause(handle.id);
    const progress = manager.downloads.get(handle.id);
    throw new AskDbError(
      "CANCELLED",
      `download paused at ${formatBytes(progress?.downloadedBytes ?? 0)} of ${formatBytes(progress?.totalBytes ?? NaN)}; the partial file is kept`,
      {
        hint: `run \`askdb models pull ${spec}\` to resume`,
      },
    );
  } finally {
    process.off("SIGINT", interrupted);
    unsubscribe();
    bar?.stop();
  }
}

function newProgressBar(): cliProgress.SingleBar {
  return new cliProgress.SingleBar(
    {
      format: "{state} {bar} {pct} | {doneBytes} of {totalBytes} | {speed} | ETA {etaText}",
      barsize: 30,
      hideCursor: true,
      stream: process.stderr,
    },
    cliProgress.Presets.shades_classic,
  );
}

function describeRetry(retry: NonNullable<DownloadProgress["retry"]>): string {
  return `${retry.reason}; retrying in ${formatDuration(retry.delaySeconds)} (attempt ${retry.attempt} of ${retry.of})`;
}

function barPayload(progress: DownloadProgress | undefined): Record<string, string> {
  return {
    state: (progress?.retry
      ? `retry ${progress.retry.attempt}/${progress.retry.of}`
      : (progress?.status ?? "queued")
    ).padEnd(11),
    pct:
      progress?.percent === null || progress?.percent === undefined
        ? "  ?%"
        : `${progress.percent.toFixed(1).padStart(5)}%`,
    doneBytes: formatBytes(progress?.downloadedBytes ?? 0),
    totalBytes: progress?.totalBytes ? formatBytes(progress.totalBytes) : "?",
    speed: `${formatBytes(progress?.bytesPerSecond ?? 0)}/s`,
    etaText:
      progress?.etaSeconds === null || progress?.etaSeconds === undefined
        ? "?"
        : formatDuration(progress.etaSeconds),
  };
}

function updateBar(bar: cliProgress.SingleBar, progress: DownloadProgress): void {
  const total = progress.totalBytes ?? Math.max(progress.downloadedBytes, 1);
  bar.setTotal(total);
  bar.update(progress.downloadedBytes, barPayload(progress));
}
