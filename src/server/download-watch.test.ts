import { describe, expect, it } from "vitest";
import type { DownloadProgress } from "../app/index.js";
import { createDownloadWatch, STALL_AFTER_MS } from "./download-watch.js";

function download(patch: Partial<DownloadProgress> = {}): DownloadProgress {
  return {
    id: "d1",
    modelId: "m",
    fileName: "m.gguf",
    url: "http://127.0.0.1/m.gguf",
    status: "downloading",
    downloadedBytes: 100,
    totalBytes: 1000,
    percent: 10,
    bytesPerSecond: 50,
    etaSeconds: 18,
    ...patch,
  };
}

describe("the download watch of an events stream", () => {
  it("marks a download stalled once no byte came for a while, and clears it when bytes flow again", () => {
    let now = 0;
    const watch = createDownloadWatch(() => now);
    expect(watch.update(download())).toMatchObject({
      event: "progress",
      download: { stalled: false, bytesPerSecond: 50 },
    });
    now = STALL_AFTER_MS - 1;
    expect(watch.beat([download()])).toMatchObject([{ event: "progress", download: { stalled: false } }]);
    now = STALL_AFTER_MS;
    expect(watch.beat([download()])).toMatchObject([
      {
        event: "progress",
        download: { stalled: true, bytesPerSecond: 0, etaSeconds: null, downloadedBytes: 100 },
      },
    ]);
    expect(watch.beat([download({ downloadedBytes: 200 })])).toMatchObject([
      { download: { stalled: false, bytesPerSecond: 50 } },
    ]);
  });

  it("never calls a queued or verifying download stalled", () => {
    let now = 0;
    const watch = createDownloadWatch(() => now);
    watch.beat([download({ status: "verifying" })]);
    now = STALL_AFTER_MS * 2;
    expect(watch.beat([download({ status: "verifying" })])).toMatchObject([{ download: { stalled: false } }]);
  });

  it("sends the final event of a download that ended between two beats, once, and nothing for old ones", () => {
    const watch = createDownloadWatch(() => 0);
    const old = download({ id: "old", status: "completed" });
    expect(watch.beat([download(), old])).toHaveLength(1);
    expect(watch.beat([download({ status: "failed" }), old])).toMatchObject([
      { event: "failed", download: { id: "d1" } },
    ]);
    expect(watch.beat([download({ status: "failed" }), old])).toEqual([]);
    watch.update(download({ id: "d2" }));
    expect(watch.beat([download({ id: "d2", status: "completed" })])).toMatchObject([{ event: "done" }]);
    expect(watch.update(download({ id: "d3", status: "cancelled" }))).toMatchObject({ event: "cancelled" });
  });
});
