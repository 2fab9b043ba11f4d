import type { DownloadProgress } from "../app/index.js";

/** How often a running download's state is re-sent on the events stream, bytes or not. */
export const HEARTBEAT_MS = 1000;
/** No new byte for this long marks a download as stalled (the transfer itself retries later). */
export const STALL_AFTER_MS = 5000;

/** A Download as the events stream sends it: `stalled` once no byte came for a while. */
export type WatchedDownload = DownloadProgress & { stalled: boolean };

export type DownloadEventName = "progress" | "done" | "failed" | "cancelled";

export interface DownloadEvent {
  event: DownloadEventName;
  download: WatchedDownload;
}

/**
 * Follows downloads for one events stream: decorates each update with `stalled`, gives the
 * periodic heartbeat of every running download, and guarantees one final event per download
 * it saw running, even when the download ended without an update reaching this stream.
 */
export function createDownloadWatch(now: () => number = Date.now) {
  const lastByteAt = new Map<string, { bytes: number; at: number }>();
  const running = new Set<string>();

  const observe = (download: DownloadProgress): DownloadEvent => {
    const watched = withStall(download);
    if (isActive(download)) {
      running.add(download.id);
    } else {
      running.delete(download.id);
      lastByteAt.delete(download.id);
    }
    return { event: eventOf(download), download: watched };
  };

  function withStall(download: DownloadProgress): WatchedDownload {
    const seen = lastByteAt.get(download.id);
    if (!seen || seen.bytes !== download.downloadedBytes) {
      lastByteAt.set(download.id, { bytes: download.downloadedBytes, at: now() });
      return { ...download, stalled: false };
    }
    const stalled = download.status === "downloading" && now() - seen.at >= STALL_AFTER_MS;
    return stalled ? { ...download, bytesPerSecond: 0, etaSeconds: null, stalled } : { ...download, stalled };
  }

  return {
    /** The event for an update the downloads module reported. */
    update: observe,
    /**
     * The heartbeat: the current state of every running download (`all` is every download
     * askdb knows), plus the final event of any seen running that has ended since.
     */
    beat(all: DownloadProgress[]): DownloadEvent[] {
      return all.filter((download) => running.has(download.id) || isActive(download)).map(observe);
    },
  };
}

export function isActive(download: DownloadProgress): boolean {
  return download.status === "queued" || download.status === "downloading" || download.status === "verifying";
}

function eventOf(download: DownloadProgress): DownloadEventName {
  if (download.status === "completed") return "done";
  if (download.status === "failed" || download.status === "cancelled") return download.status;
  return "progress";
}
