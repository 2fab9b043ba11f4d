import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createAskDb } from "../app/index.js";
import { missingTestModels, TEST_MODELS } from "../models/testing/index.js";
import { askdbCommand, exitOf, firstLine, spawnAskdb } from "./testing/cli.js";

describe("askdb serve --sidecar", () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "askdb-sidecar-"));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("prints one ready line with a free port and a token, serves, and exits when stdin closes", async () => {
    const child = spawnAskdb(["serve", "--sidecar", "--port", "0", "--data-dir", dataDir]);
    const ready = JSON.parse(await firstLine(child)) as { event: string; port: number; token: string };
    expect(ready.event).toBe("ready");
    expect(ready.port).toBeGreaterThan(0);
    expect(ready.token.length).toBeGreaterThan(20);
    const tokenFile = join(dataDir, "server-token");
    expect(readFileSync(tokenFile, "utf8").trim()).toBe(ready.token);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);

    const base = `http://127.0.0.1:${ready.port}`;
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/status`)).status).toBe(401);
    const status = await fetch(`${base}/status`, { headers: { authorization: `Bearer ${ready.token}` } });
    expect(status.status).toBe(200);

    child.stdin?.end();
    expect(await exitOf(child)).toBe(0);
  });

  it("shuts down gracefully on SIGTERM", async () => {
    const child = spawnAskdb(["serve", "--sidecar", "--port", "0", "--data-dir", dataDir]);
    const ready = JSON.parse(await firstLine(child)) as { port: number };
    expect((await fetch(`http://127.0.0.1:${ready.port}/health`)).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exitOf(child)).toBe(0);
    await expect(fetch(`http://127.0.0.1:${ready.port}/health`)).rejects.toThrow();
  });

  it("with --parent-pid and no stdin pipe, stays up until that process is gone", async () => {
    const parent = spawn(process.execPath, ["-e", "setTimeout(() => {}, 120_000)"], { stdio: "ignore" });
    const { command, args, cwd } = askdbCommand([
      "serve",
      "--sidecar",
      "--port",
      "0",
      "--parent-pid",
      String(parent.pid),
      "--data-dir",
      dataDir,
    ]);
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const ready = JSON.parse(await firstLine(child)) as { port: number };
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await fetch(`http://127.0.0.1:${ready.port}/health`)).status).toBe(200);
    const killedAt = Date.now();
    parent.kill("SIGKILL");
    expect(await exitOf(child)).toBe(0);
    expect(Date.now() - killedAt).toBeLessThan(3_000);
  });

  it("refuses a --parent-pid that names no running process", async () => {
    const child = spawnAskdb([
      "serve",
      "--sidecar",
      "--port",
      "0",
      "--parent-pid",
      "2147483646",
      "--data-dir",
      dataDir,
    ]);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).not.toBe(0);
    expect(stderr).toMatch(/--parent-pid 2147483646: no such process/);
  });

  it.skipIf(missingTestModels() !== undefined)(
    "pre-warms after the ready line: /status goes from warming to warm on its own",
    async () => {
      const warmDir = join(dataDir, "with-model");
      const askdb = await createAskDb({ dataDir: warmDir, env: {} });
      askdb.settings.update({ "engine.threads": 1, "engine.contextSize": 2048 });
      askdb.activateModel((await askdb.models.add(TEST_MODELS.tiny.path)).id);
      await askdb.close();
      const child = spawnAskdb(["serve", "--sidecar", "--port", "0", "--data-dir", warmDir]);
      const ready = JSON.parse(await firstLine(child)) as { port: number; token: string };
      const warmup = async () => {
        const response = await fetch(`http://127.0.0.1:${ready.port}/status`, {
          headers: { authorization: `Bearer ${ready.token}` },
        });
        return ((await response.json()) as { warmup: { state: string } }).warmup.state;
      };
      expect(["warming", "warm"]).toContain(await warmup());
      await vi.waitFor(async () => expect(await warmup()).toBe("warm"), { timeout: 20_000, interval: 100 });
      child.stdin?.end();
      expect(await exitOf(child)).toBe(0);
    },
  );

  it("refuses a bad port with a clear message and a non-zero exit", async () => {
    const child = spawnAskdb(["serve", "--port", "99999", "--data-dir", dataDir]);
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitOf(child)).not.toBe(0);
    expect(stderr).toMatch(/--port must be a number/);
  });
});
