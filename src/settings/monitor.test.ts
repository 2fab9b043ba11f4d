import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { createResourceMonitor, readHostHealth, type HealthProbe } from "./index.js";
import { createTempStores } from "./testing/temp-stores.js";

const stores = createTempStores();
const servers: Server[] = [];
afterEach(async () => {
  stores.cleanup();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A real HTTP host answering like Ollama's /api/version, on an ephemeral loopback port. */
async function startFakeOllamaHost(): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    response.setHeader("content-type", "application/json");
    response.end(request.url === "/api/version" ? '{"version":"0.6.0"}' : "{}");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function probeOf(url: string): HealthProbe {
  return async () => {
    const started = performance.now();
    const response = await fetch(`${url}/api/version`, { signal: AbortSignal.timeout(2000) });
    return { ok: response.ok, responseMs: performance.now() - started };
  };
}

describe("resource monitor", () => {
  it("reports process, memory, CPU and the disk where models live", async () => {
    const dataDir = stores.dataDir();
    const store = stores.open(dataDir);
    const monitor = createResourceMonitor({ store, dataDir, llama: false });
    const snapshot = await monitor.snapshot();
    expect(snapshot.process.rssBytes).toBeGreaterThan(0);
    expect(snapshot.process.heapUsedBytes).toBeGreaterThan(0);
    expect(snapshot.memory.totalBytes).toBeGreaterThan(snapshot.memory.freeBytes);
    expect(snapshot.cpu.cores).toBeGreaterThan(0);
    expect(snapshot.cpu.loadAverage).toHaveLength(3);
    // The models folder does not exist yet: its nearest existing parent is measured.
    expect(snapshot.disk).toMatchObject({ path: join(dataDir, "models"), measuredPath: dataDir });
    expect(snapshot.disk?.freeBytes).toBeGreaterThan(0);
    expect(snapshot.disk?.totalBytes).toBeGreaterThanOrEqual(snapshot.disk?.freeBytes ?? 0);
    expect(snapshot.gpu).toBeNull();
    expect(snapshot.ollama).toBeNull();
    expect(snapshot.models).toEqual([]);
    await monitor.dispose();
  });

  it("turns the engine's per-model figures into rates", async () => {
    const dataDir = stores.dataDir();
    const store = stores.open(dataDir);
    store.db
      .prepare(
        `INSERT INTO model_metrics (model, backend, total_requests, successful_requests, failed_requests, prompt_tokens,
           generated_tokens, generation_ms, prompt_ms, peak_memory_bytes, last_load_ms, updated_at)
         VALUES ('qwen2.5-coder-0.5b', 'llamacpp', 10, 9, 1, 5000, 400, 2000, 1000, 900000000, 850, '2026-06-15T12:00:00Z')`,
      )
      .run();
    const { models } = await createResourceMonitor({ store, dataDir, llama: false }).snapshot();
    expect(models).toEqual([
      {
        model: "qwen2.5-coder-0.5b",
        backend: "llamacpp",
        totalRequests: 10,
        successfulRequests: 9,
        failedRequests: 1,
        successRate: 0.9,
        promptTokensPerSecond: 5000,
        tokensPerSecond: 200,
        peakMemoryBytes: 900_000_000,
        lastLoadMs: 850,
        updatedAt: "2026-06-15T12:00:00Z",
      },
    ]);
  });

  it("tracks an Ollama host's health: last check, response time, consecutive failures", async () => {
    const dataDir = stores.dataDir();
    const store = stores.open(dataDir);
    const host = await startFakeOllamaHost();
    let now = new Date("2026-06-15T12:00:00.000Z");
    const monitor = createResourceMonitor({
      store,
      dataDir,
      llama: false,
      ollamaHealth: probeOf(host.url),
      ollamaUrl: host.url,
      ollamaMaxAgeMs: 60_000,
      clock: () => now,
    });

    const healthy = await monitor.checkOllama();
    expect(healthy).toMatchObject({
      ok: true,
      consecutiveFailures: 0,
      lastCheckAt: now.toISOString(),
      url: host.url,
    });
    expect(healthy?.responseMs).toBeGreaterThanOrEqual(0);

    await new Promise((resolve) => host.server.close(resolve));
    now = new Date("2026-06-15T12:01:00.000Z");
    await monitor.checkOllama();
    now = new Date("2026-06-15T12:02:00.000Z");
    await monitor.checkOllama();
    now = new Date("2026-06-15T12:03:00.000Z");
    const failing = await monitor.checkOllama();
    expect(failing).toMatchObject({
      ok: false,
      consecutiveFailures: 3,
      lastOkAt: "2026-06-15T12:00:00.000Z",
      lastCheckAt: "2026-06-15T12:03:00.000Z",
    });
    expect(failing?.error).toBeTruthy();

    // A fresh record is shown as is; the failure run is a warning.
    const snapshot = await monitor.snapshot();
    expect(snapshot.ollama?.lastCheckAt).toBe("2026-06-15T12:03:00.000Z");
    expect(snapshot.warnings.some((warning) => warning.includes("failed its last 3 checks"))).toBe(true);

    // The record outlives the process: another monitor without a probe still shows it.
    const reader = createResourceMonitor({ store: stores.open(dataDir), dataDir, llama: false });
    expect((await reader.snapshot()).ollama?.consecutiveFailures).toBe(3);
    expect(readHostHealth(store, "ollama")?.ok).toBe(false);
  });

  it("checks again in a snapshot once the last check is stale", async () => {
    const dataDir = stores.dataDir();
    const store = stores.open(dataDir);
    let calls = 0;
    let now = new Date("2026-06-15T12:00:00.000Z");
    const monitor = createResourceMonitor({
      store,
      dataDir,
      llama: false,
      ollamaMaxAgeMs: 30_000,
      clock: () => now,
      ollamaHealth: async () => {
        calls += 1;
        if (calls === 2) throw new Error("connect ECONNREFUSED 127.0.0.1:11434");
        return { ok: true, responseMs: 3 };
      },
    });
    await monitor.snapshot();
    await monitor.snapshot();
    expect(calls).toBe(1);
    now = new Date("2026-06-15T12:00:31.000Z");
    const { ollama } = await monitor.snapshot();
    expect(calls).toBe(2);
    expect(ollama).toMatchObject({
      ok: false,
      error: "connect ECONNREFUSED 127.0.0.1:11434",
      consecutiveFailures: 1,
    });
  });

  it("reads the GPU through llama.cpp's prebuilt bindings, or reports none", async () => {
    const dataDir = stores.dataDir();
    const monitor = createResourceMonitor({ store: stores.open(dataDir), dataDir });
    const { gpu, warnings } = await monitor.snapshot();
    if (gpu) {
      expect(gpu.devices.length).toBeGreaterThan(0);
      expect(gpu.vram.totalBytes).toBeGreaterThan(0);
    } else {
      expect(warnings.filter((warning) => warning.includes("GPU"))).toEqual([]);
    }
    await monitor.dispose();
  });
});
