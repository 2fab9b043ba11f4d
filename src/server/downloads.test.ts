import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCatalogEntry } from "../models/index.js";
import { startFileServer, type FileServer } from "../models/testing/file-server.js";
import { missingTestModels, TEST_MODELS } from "../models/testing/fixtures.js";
import { sseEvents, startTestServer, type SseEvent, type TestServer } from "./testing/harness.js";

const missing = missingTestModels();
const MODEL_ID = "qwen2.5-coder-1.5b";

describe.skipIf(missing)(`model downloads over HTTP${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let files: FileServer;
  let t: TestServer;
  beforeAll(async () => {
    const entry = getCatalogEntry(MODEL_ID);
    // A Hugging Face look-alike serving the small real model under the catalog entry's name.
    files = await startFileServer({
      hfRepos: { [entry.hfRepo]: { files: { [entry.fileName]: TEST_MODELS.stories.path } } },
      chunkBytes: 64 * 1024,
    });
    process.env.ASKDB_HF_BASE_URL = files.url;
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
    await files.close();
    delete process.env.ASKDB_HF_BASE_URL;
  });

  /** Reads on (without closing the stream) until an event of this name. */
  async function untilEvent(events: AsyncGenerator<SseEvent>, name: string, seen: SseEvent[]): Promise<SseEvent> {
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

    const started = await t.api("/download-model", { method: "POST", json: { modelId: MODEL_ID } });
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ modelId: MODEL_ID, downloadId: expect.any(String) });

    const seen: SseEvent[] = [];
    const done = await untilEvent(events, "done", seen);
    abort.abort();
    expect(seen.some((e) => e.event === "progress")).toBe(true);
    expect(JSON.parse(done.data)).toMatchObject({ modelId: MODEL_ID, status: "completed", downloadedBytes: TEST_MODELS.stories.sizeBytes });

    const progress = await (await t.api("/download-progress")).json();
    expect(progress).toMatchObject({ status: "completed", percentage: 100, total_bytes: TEST_MODELS.stories.sizeBytes });

    const models = (await (await t.api("/api/models")).json()) as { models: Array<{ id: string; installed: boolean }> };
    expect(models.models.find((m) => m.id === MODEL_ID)?.installed).toBe(true);

    expect((await t.api(`/api/models/${MODEL_ID}/activate`, { method: "POST" })).status).toBe(200);
    expect(await (await t.api("/status")).json()).toMatchObject({ modelDownloaded: true, activeModel: MODEL_ID });
    const again = await t.api("/api/models/pull", { method: "POST", json: { modelId: MODEL_ID } });
    expect(await again.json()).toMatchObject({ status: "completed" });

    expect((await t.api(`/api/models/${MODEL_ID}`, { method: "DELETE" })).status).toBe(200);
    expect(await (await t.api("/status")).json()).toMatchObject({ modelDownloaded: false, activeModel: null });
  });

  it("cancels a running download and keeps its partial file for a resume", async () => {
    files.setFault(getCatalogEntry(MODEL_ID).fileName, { kind: "stall", afterBytes: 256 * 1024 });
    const abort = new AbortController();
    const events = sseEvents(await t.api("/api/downloads/events", { signal: abort.signal }));
    expect((await t.api("/download-model", { method: "POST", json: { modelId: MODEL_ID } })).status).toBe(202);
    const seen: SseEvent[] = [];
    await untilEvent(events, "progress", seen);

    const cancelled = await t.api("/cancel-download", { method: "POST" });
    expect(cancelled.status).toBe(200);
    expect(await cancelled.json()).toMatchObject({ status: "cancelled", modelId: MODEL_ID });
    const end = await untilEvent(events, "cancelled", seen);
    abort.abort();
    expect(JSON.parse(end.data)).toMatchObject({ modelId: MODEL_ID, status: "cancelled" });
    expect(await (await t.api("/download-progress")).json()).toMatchObject({ status: "cancelled" });
    files.setFault(getCatalogEntry(MODEL_ID).fileName, undefined);
  });
});
