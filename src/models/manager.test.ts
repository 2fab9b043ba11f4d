import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  copyFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { AskDbError } from "../errors/index.js";
import { openStore, type Store } from "../store/index.js";
import {
  createModelManager,
  type DownloadProgress,
  type ModelManager,
  type ModelManagerOptions,
} from "./index.js";
import { sha256OfFile } from "./hash.js";
import { startFileServer, type FileServer } from "./testing/file-server.js";
import { missingTestModels, rejectionOf, TEST_MODELS } from "./testing/fixtures.js";

const skip = missingTestModels();
if (skip) console.warn(`skipping model manager tests: ${skip}`);

const TINY = TEST_MODELS.tiny;
const STORIES = TEST_MODELS.stories;
const TINY_SPEC = `hf:test-org/tiny-GGUF/${TINY.fileName}`;

const rejection = (promise: Promise<unknown>) => rejectionOf<AskDbError>(promise);

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.skipIf(skip)("model manager", () => {
  let server: FileServer;
  let dir: string;
  let store: Store;
  let manager: ModelManager;
  const managers: ModelManager[] = [];

  function newManager(overrides: Partial<ModelManagerOptions> = {}): ModelManager {
    const created = createModelManager({
      store,
      modelsDir: join(dir, "models"),
      hfBaseUrl: server.url,
      hfToken: "",
      stallTimeoutMs: 5_000,
      retries: 3,
      retryBaseDelayMs: 10,
      progressIntervalMs: 0,
      ...overrides,
    });
    managers.push(created);
    return created;
  }

  const partPath = (fileName: string) => join(dir, "models", ".downloads", `${fileName}.part`);
  const installedFiles = () => readdirSync(join(dir, "models")).filter((name) => name.endsWith(".gguf"));

  beforeAll(async () => {
    server = await startFileServer({
      files: {
        "/files/tiny.gguf": TINY.path,
        "/files/stories.gguf": STORIES.path,
        "/files/readme.gguf": Buffer.from("# not a model\n".repeat(1000)),
      },
      redirects: {
        "/moved/insecure.gguf": "http://downloads.example.com/insecure.gguf",
        "/moved-here/tiny.gguf": "/files/tiny.gguf",
      },
      hfRepos: {
        "test-org/tiny-GGUF": { files: { [TINY.fileName]: TINY.path, [STORIES.fileName]: STORIES.path } },
      },
      chunkBytes: 64 * 1024,
    });
  });
  afterAll(async () => server.close());

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "askdb-models-"));
    store = openStore(dir);
    server.requests.length = 0;
    manager = newManager();
  });
  afterEach(async () => {
    for (const created of managers.splice(0)) await created.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("pulls, verifies and installs an hf: model, reporting progress", async () => {
    const events: DownloadProgress[] = [];
    manager.downloads.subscribe((progress) => events.push(progress));
    const handle = await manager.pull(TINY_SPEC);
    const model = await handle.done;

    expect(model).toMatchObject({
      id: "llama-2-tiny-random",
      kind: "llm",
      source: "hf",
      sourceRef: TINY_SPEC,
      sizeBytes: TINY.sizeBytes,
      sha256: TINY.sha256,
      active: true,
      ownsFile: true,
    });
    expect(model.path).toBe(join(dir, "models", TINY.fileName));
    expect(await sha256OfFile(model.path)).toBe(TINY.sha256);
    expect(model.gguf).toMatchObject({
      architecture: "llama",
      version: 3,
      tensorCount: 12,
      contextLength: 4096,
      hasChatTemplate: false,
    });
    expect(existsSync(partPath(TINY.fileName))).toBe(false);

    const statuses = [...new Set(events.map((event) => event.status))];
    expect(statuses).toEqual(["queued", "downloading", "verifying", "completed"]);
    const last = events[events.length - 1];
    expect(last).toMatchObject({ downloadedBytes: TINY.sizeBytes, totalBytes: TINY.sizeBytes, percent: 100 });
    expect(
      events.some(
        (event) =>
          event.status === "downloading" &&
          event.downloadedBytes > 0 &&
          event.downloadedBytes < TINY.sizeBytes,
      ),
    ).toBe(true);
    expect(manager.getActive("llm")?.id).toBe(model.id);
    expect(manager.downloads.get(handle.id)?.status).toBe("completed");

    const again = await manager.pull(TINY_SPEC);
    expect(again.alreadyInstalled).toBe(true);
  });

  it("resumes a pull cut at about half, transferring well under 1.5x the file", async () => {
    server.setFault(TINY.fileName, { kind: "cut" });
    const model = await (await manager.pull(TINY_SPEC)).done;
    expect(model.sha256).toBe(TINY.sha256);
    const downloads = server.requests.filter((r) => r.path.startsWith("/cdn/"));
    expect(downloads).toHaveLength(2);
    expect(downloads[1].range).toBe(`bytes=${downloads[0].bytesSent}-`);
    expect(downloads[1].status).toBe(206);
    expect(server.bytesSent(TINY.fileName)).toBeLessThan(TINY.sizeBytes * 1.5);
    expect(server.bytesSent(TINY.fileName)).toBe(TINY.sizeBytes);
  });

  it("retries after a stall and after server errors, reporting each retry", async () => {
    const quick = newManager({ stallTimeoutMs: 300 });
    const retries: DownloadProgress[] = [];
    quick.downloads.subscribe((progress) => progress.retry && retries.push(progress));
    server.setFault(TINY.fileName, { kind: "stall" });
    expect((await (await quick.pull(TINY_SPEC)).done).sha256).toBe(TINY.sha256);
    expect(retries[0].retry).toMatchObject({ attempt: 1, of: 3, reason: expect.stringContaining("stalled") });
    server.setFault(STORIES.fileName, { kind: "status", status: 503, times: 2 });
    expect((await (await quick.pull(`hf:test-org/tiny-GGUF/${STORIES.fileName}`)).done).sha256).toBe(
      STORIES.sha256,
    );
  });

  it("restarts cleanly when the server ignores Range", async () => {
    server.setFault(TINY.fileName, { kind: "cut", afterBytes: 300_000 });
    const handle = await manager.pull(TINY_SPEC);
    await until(
      () =>
        server.requests.filter((r) => r.path.startsWith("/cdn/")).length >= 1 &&
        server.bytesSent(TINY.fileName) >= 300_000,
      "the cut",
    );
    server.setFault(TINY.fileName, { kind: "ignore-range" });
    const model = await handle.done;
    expect(model.sha256).toBe(TINY.sha256);
    server.setFault(TINY.fileName, undefined);
  });

  it("rejects a sha256 mismatch and installs nothing", async () => {
    const error = await rejection(
      (await manager.pull(`${server.url}/files/tiny.gguf`, { sha256: STORIES.sha256 })).done,
    );
    expect(error.code).toBe("INTEGRITY_FAILED");
    expect(error.message).toContain("checksum");
    expect(error.hint).toContain("askdb models pull");
    expect(manager.list()).toEqual([]);
    expect(installedFiles()).toEqual([]);
    expect(existsSync(partPath("tiny.gguf"))).toBe(false);
    expect(manager.downloads.list()[0]).toMatchObject({
      status: "failed",
      error: { code: "INTEGRITY_FAILED" },
    });
  });

  it("rejects corrupted bytes against the sha256 from the Hugging Face listing", async () => {
    server.setFault(STORIES.fileName, { kind: "corrupt" });
    const error = await rejection((await manager.pull(`hf:test-org/tiny-GGUF/${STORIES.fileName}`)).done);
    server.setFault(STORIES.fileName, undefined);
    expect(error.code).toBe("INTEGRITY_FAILED");
    expect(manager.list()).toEqual([]);
  });

  it("rejects a file that is not GGUF", async () => {
    const error = await rejection((await manager.pull(`${server.url}/files/readme.gguf`)).done);
    expect(error.code).toBe("MODEL_INVALID");
    expect(error.message).toContain("not a GGUF");
    expect(manager.list()).toEqual([]);
    expect(installedFiles()).toEqual([]);
  });

  it("follows a redirect on this machine, but not one to plain http off it (without retrying)", async () => {
    expect((await (await manager.pull(`${server.url}/moved-here/tiny.gguf`)).done).sha256).toBe(TINY.sha256);
    const error = await rejection((await manager.pull(`${server.url}/moved/insecure.gguf`)).done);
    expect(error.code).toBe("DOWNLOAD_FAILED");
    expect(error.message).toContain("redirected to http://downloads.example.com/insecure.gguf");
    expect(error.message).toContain("https only");
    expect(server.requests.filter((r) => r.path === "/moved/insecure.gguf")).toHaveLength(1);
    expect(manager.downloads.list()[0]).toMatchObject({
      status: "failed",
      error: { code: "DOWNLOAD_FAILED" },
    });
  });

  it("fails clearly on 404 without retrying, and on an unreachable host after retries", async () => {
    const missing = await rejection((await manager.pull(`${server.url}/files/absent.gguf`)).done);
    expect(missing.code).toBe("DOWNLOAD_FAILED");
    expect(server.requests.filter((r) => r.path === "/files/absent.gguf")).toHaveLength(1);
    const closed = await startFileServer();
    await closed.close();
    const offline = await rejection((await manager.pull(`${closed.url}/files/x.gguf`)).done);
    expect(offline.code).toBe("NETWORK");
    expect(offline.message).toContain("4 attempts");
  });

  it("cancels keeping the .part, then a new pull resumes from it", async () => {
    server.setFault(TINY.fileName, { kind: "stall", afterBytes: 800_000 });
    const handle = await manager.pull(TINY_SPEC);
    await until(() => (manager.downloads.get(handle.id)?.downloadedBytes ?? 0) >= 800_000, "half the file");
    const cancelled = await manager.downloads.cancel(handle.id);
    expect(cancelled.status).toBe("cancelled");
    expect((await rejection(handle.done)).code).toBe("CANCELLED");
    expect(statSync(partPath(TINY.fileName)).size).toBe(800_000);
    expect(manager.list()).toEqual([]);

    const resumed = await manager.pull(TINY_SPEC);
    expect(resumed.id).toBe(handle.id);
    expect((await resumed.done).sha256).toBe(TINY.sha256);
    const last = server.requests.filter((r) => r.path.startsWith("/cdn/")).pop()!;
    expect(last.range).toBe("bytes=800000-");
    expect(server.bytesSent(TINY.fileName)).toBeLessThan(TINY.sizeBytes * 1.5);
  });

  it("pauses and resumes; cancel with discard deletes the .part", async () => {
    server.setFault(TINY.fileName, { kind: "stall", afterBytes: 500_000 });
    const handle = await manager.pull(TINY_SPEC);
    await until(() => (manager.downloads.get(handle.id)?.downloadedBytes ?? 0) >= 500_000, "progress");
    expect((await manager.downloads.pause(handle.id)).status).toBe("paused");
    manager.downloads.resume(handle.id);
    expect((await handle.done).sha256).toBe(TINY.sha256);

    server.setFault(STORIES.fileName, { kind: "stall", afterBytes: 400_000 });
    const second = await manager.pull(`hf:test-org/tiny-GGUF/${STORIES.fileName}`);
    await until(() => (manager.downloads.get(second.id)?.downloadedBytes ?? 0) >= 400_000, "progress");
    await manager.downloads.cancel(second.id, { discard: true });
    expect(existsSync(partPath(STORIES.fileName))).toBe(false);
  });

  it("resumes in a new process from the state store", async () => {
    server.setFault(TINY.fileName, { kind: "stall", afterBytes: 600_000 });
    const handle = await manager.pull(TINY_SPEC);
    await until(() => (manager.downloads.get(handle.id)?.downloadedBytes ?? 0) >= 600_000, "progress");
    await manager.close();

    const restarted = newManager();
    expect(restarted.downloads.get(handle.id)).toMatchObject({ status: "paused", downloadedBytes: 600_000 });
    const resumed = await restarted.pull(TINY_SPEC);
    expect(resumed.id).toBe(handle.id);
    expect((await resumed.done).sha256).toBe(TINY.sha256);
    expect(server.requests.filter((r) => r.path.startsWith("/cdn/")).pop()!.range).toBe("bytes=600000-");
  });

  it("restarts when the remote file changed since the partial download", async () => {
    server.setFile("/files/changing.gguf", TINY.path);
    server.setFault("/files/changing.gguf", { kind: "cut", afterBytes: 700_000 });
    const once = newManager({ retries: 0 });
    const failed = await rejection((await once.pull(`${server.url}/files/changing.gguf`)).done);
    expect(failed.code).toBe("NETWORK");
    expect(statSync(partPath("changing.gguf")).size).toBe(700_000);

    server.setFile("/files/changing.gguf", STORIES.path);
    const model = await (await once.pull(`${server.url}/files/changing.gguf`)).done;
    expect(model.sha256).toBe(STORIES.sha256);
    const last = server.requests.filter((r) => r.path === "/files/changing.gguf").pop()!;
    expect(last.ifRange).toBeDefined();
    expect(last.status).toBe(200);
  });

  it("treats 416 for a complete .part as done", async () => {
    mkdirSync(join(dir, "models", ".downloads"), { recursive: true });
    copyFileSync(TINY.path, partPath("tiny.gguf"));
    const model = await (await manager.pull(`${server.url}/files/tiny.gguf`, { sha256: TINY.sha256 })).done;
    expect(model.sha256).toBe(TINY.sha256);
    expect(server.requests.filter((r) => r.path === "/files/tiny.gguf").map((r) => r.status)).toEqual([416]);
  });

  it("shares one download between two pulls of the same file", async () => {
    const [a, b] = await Promise.all([manager.pull(TINY_SPEC), manager.pull(TINY_SPEC)]);
    expect(a.id).toBe(b.id);
    const [ma, mb] = await Promise.all([a.done, b.done]);
    expect(ma.id).toBe(mb.id);
    expect(server.bytesSent(TINY.fileName)).toBe(TINY.sizeBytes);
    expect(manager.list()).toHaveLength(1);
  });

  it("runs no more downloads at once than configured", async () => {
    const serial = newManager({ maxParallelDownloads: 1 });
    server.setFault(TINY.fileName, { kind: "stall", afterBytes: 300_000 });
    const first = await serial.pull(TINY_SPEC);
    const second = await serial.pull(`hf:test-org/tiny-GGUF/${STORIES.fileName}`);
    await until(
      () => (serial.downloads.get(first.id)?.downloadedBytes ?? 0) >= 300_000,
      "the first download",
    );
    expect(serial.downloads.get(second.id)?.status).toBe("queued");
    await serial.downloads.pause(first.id);
    expect((await second.done).sha256).toBe(STORIES.sha256);
    serial.downloads.resume(first.id);
    expect((await first.done).sha256).toBe(TINY.sha256);
  });

  it("refuses to start without disk space", async () => {
    const full = newManager({ freeDiskBytes: async () => 50_000_000 });
    const error = await rejection((await full.pull(TINY_SPEC)).done);
    expect(error.code).toBe("DISK_FULL");
    expect(error.hint).toContain("--models-dir");
    expect(server.requests.filter((r) => r.path.startsWith("/cdn/"))).toHaveLength(0);
  });

  it("adds, activates, describes and removes models", async () => {
    const inPlace = await manager.add(STORIES.path);
    expect(inPlace).toMatchObject({
      id: "stories260k",
      source: "file",
      ownsFile: false,
      path: STORIES.path,
      sha256: STORIES.sha256,
      active: true,
    });
    const copied = await manager.add(TINY.path, { copy: true, id: "tiny" });
    expect(copied.path).toBe(join(dir, "models", TINY.fileName));
    expect(copied.active).toBe(false);
    expect(await manager.add(STORIES.path)).toMatchObject({ id: "stories260k" });

    expect(manager.activate("tiny").active).toBe(true);
    expect(manager.getActive("llm")?.id).toBe("tiny");
    manager.markUsed("tiny");
    expect(manager.get("tiny")).toMatchObject({ useCount: 1 });

    const info = await manager.info("stories260k");
    expect(info.gguf).toMatchObject({
      architecture: "llama",
      tensorCount: 48,
      parameterCount: 292_800,
      contextLength: 2048,
      quantization: "F32",
    });
    expect((await manager.info(TINY.path)).model).toBeUndefined();
    const estimate = await manager.estimateMemory("stories260k", { contextSize: 1024 });
    expect(estimate.totalBytes).toBeGreaterThan(estimate.modelBytes);
    expect(estimate.contextSize).toBe(1024);

    await manager.remove("tiny");
    expect(existsSync(copied.path)).toBe(false);
    expect(manager.getActive("llm")?.id).toBe("stories260k");
    await manager.remove("stories260k");
    expect(existsSync(STORIES.path)).toBe(true);
    expect(manager.list()).toEqual([]);
  });

  it("refuses to remove a model in use, and rejects bad input", async () => {
    const guarded = newManager({ isInUse: (id) => id === "stories260k" });
    await guarded.add(STORIES.path);
    expect((await rejection(guarded.remove("stories260k"))).code).toBe("CONFLICT");
    expect((await rejection(guarded.remove("nope"))).code).toBe("NOT_FOUND");
    expect(() => guarded.activate("nope")).toThrow(/no installed model/);
    const notGguf = join(dir, "notes.gguf");
    writeFileSync(notGguf, "hello");
    expect((await rejection(guarded.add(notGguf))).code).toBe("MODEL_INVALID");
    expect((await rejection(guarded.add(join(dir, "absent.gguf")))).code).toBe("NOT_FOUND");
    expect((await rejection(guarded.info("missing-model"))).code).toBe("NOT_FOUND");
  });
});
