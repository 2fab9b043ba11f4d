import { readFileSync } from "node:fs";

const CHECK_EVERY_MS = 50;

/**
 * Calls `onExceeded` once if the process's resident memory grows past `limitBytes` (SQLite's own
 * allocations, e.g. a randomblob or printf bomb, are invisible to V8's heap limit). Reads
 * /proc/<pid>/status, so it watches on Linux and does nothing elsewhere. Returns a stop function.
 */
export function watchResidentMemory(
  pid: number | undefined,
  limitBytes: number,
  onExceeded: (rssBytes: number) => void,
): () => void {
  if (pid === undefined || residentBytes(pid) === undefined) return () => {};
  const timer = setInterval(() => {
    const rss = residentBytes(pid);
    if (rss !== undefined && rss > limitBytes) {
      clearInterval(timer);
      onExceeded(rss);
    }
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "latin1"));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
