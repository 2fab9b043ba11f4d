import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFileServer, type FileServer } from "../models/testing/index.js";
import { missingTestModels, TEST_MODELS } from "../models/testing/index.js";
import { sseEvents, startTestServer, type SseEvent, type TestServer } from "./testing/harness.js";

const missing = missingTestModels();
const FILE_PATH = "/models/stories260K.gguf";

describe.skipIf(missing)(`model downloads over HTTP${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let files: FileServer;
  let t: TestServer;
  let modelUrl: string;
  beforeAll(async () => {
    files = await startFileServer({
      files: { [FILE_PATH]: TEST_MODELS.stories.path },
      chunkBytes: 64 * 1024,
    });
    modelUrl = `${files.url}${FILE_PATH}`;
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
    await files.close();
  });

  /** Reads on (without closing the stream) until an event of this name. */
  async function untilEvent(
    events: AsyncGenerator<SseEvent>,
    name: string,
    seen: SseEvent[],
  ): Promise<SseEvent> {
    for (let next = await events.next(); !next.done; next = await events.next()) {
      seen.push(next.value);
      if (next.value.event === name) return next.value;
    }
    throw new Error(`the stream ended before a "${name}" event`);
  }

  it("downloads the model with progress on /api/downloads/events, then installs and activates it", async () => {
    const abort = new AbortController();
    const stream = await t.api("/api/downloads/events", { signal: abort.signal });
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);
    const events = sseEvents(stream);

    const started = await t.api("/download-model", { method: "POST", json: { modelId: modelUrl } });
    expect(started.status).toBe(202);
    const { modelId } = (await started.json()) as { modelId: string; downloadId: string };

    const seen: SseEvent[] = [];
    const done = await untilEvent(events, "done", seen);
    abort.abort();
    expect(seen.some((e) => e.event === "progress")).toBe(true);
    expect(JSON.parse(done.data)).toMatchObject({
      modelId,
      status: "completed",
      downloadedBytes: TEST_MODELS.stories.sizeBytes,
    });

    const progress = await (await t.api("/download-progress")).json();
    expect(progress).toMatchObject({
      status: "completed",
      percentage: 100,
      total_bytes: TEST_MODELS.stories.sizeBytes,
    });

    const models = (await (await t.api("/api/models")).json()) as {
      models: Array<{ id: string; installed: boolean }>;
    };
    expect(models.models.find((m) => m.id === modelId)?.installed).toBe(true);

    expect((await t.api(`/api/models/${modelId}/activate`, { method: "POST" })).status).toBe(200);
    expect(await (await t.api("/status")).json()).toMatchObject({
      modelDownloaded: true,
      activeModel: modelId,
    });
    const again = await t.api("/api/models/pull", { method: "POST", json: { modelId: modelUrl } });
    expect(await again.json()).toMatchObject({ status: "completed" });

    expect((await t.api(`/api/models/${modelId}`, { method: "DELETE" })).status).toBe(200);
    expect(await (await t.api("/status")).json()).toMatchObject({
      modelDownloaded: false,
      activeModel: null,
    });
  });

  it("keeps reporting a stalled download, then cancels it and keeps its partial file for a resume", async () => {
    files.setFault(FILE_PATH, { kind: "stall", afterBytes: 256 * 1024 });
    const abort = new AbortController();
    const events = sseEvents(await t.api("/api/downloads/events", { signal: abort.signal }));
    const started = await t.api("/download-model", { method: "POST", json: { modelId: modelUrl } });
    expect(started.status).toBe(202);
    const { modelId } = (await started.json()) as { modelId: string };
    const seen: SseEvent[] = [];
    await untilEvent(events, "progress", seen);

    // No byte comes any more, yet the stream keeps sending the download's state, until it says "stalled".
    let stalled: Record<string, unknown> | undefined;
    while (!stalled) {
      const progress = JSON.parse((await untilEvent(events, "progress", seen)).data) as Record<
        string,
        unknown
      >;
      if (progress.stalled === true) stalled = progress;
    }
    expect(stalled).toMatchObject({ modelId, status: "downloading", bytesPerSecond: 0, etaSeconds: null });
    expect(stalled.downloadedBytes).toBeGreaterThan(0);
    const sameBytes = seen.filter(
      (e) => e.event === "progress" && JSON.parse(e.data).downloadedBytes === stalled.downloadedBytes,
    );
    expect(sameBytes.length).toBeGreaterThan(1);

    const cancelled = await t.api("/cancel-download", { method: "POST" });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: "cancelled", modelId });
    const end = await untilEvent(events, "cancelled", seen);
    abort.abort();
    expect(JSON.parse(end.data)).toMatchObject({ modelId, status: "cancelled" });
    expect(await (await t.api("/download-progress")).json()).toMatchObject({ status: "cancelled" });
    files.setFault(FILE_PATH, undefined);
  });
});
