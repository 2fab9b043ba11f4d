import { spawn, type ChildProcess } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildSidecar } from "../../scripts/sidecar/build.js";
import { createAskDb } from "../app/index.js";
import { missingTestModels, TEST_MODELS } from "../models/testing/index.js";
import { exitOf, firstLine, REPO_ROOT } from "../server/testing/index.js";

/** The binary embeds the compiled askdb: `npm install` (or `npm run build`) makes it. */
const notBuilt = ["dist/cli/main.js", "web/dist/index.html"].find(
  (entry) => !existsSync(join(REPO_ROOT, entry)),
);
const skip = notBuilt ? `skipped: ${notBuilt} is missing (run npm run build)` : missingTestModels();

describe.skipIf(skip !== undefined)(`the one-file sidecar binary ${skip ?? ""}`, () => {
  let dir: string;
  let binary: string;
  let dataDir: string;
  let cache: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "askdb-binary-"));
    const built = buildSidecar(join(dir, "build"));
    // Alone in an empty folder: no Node, no node_modules beside it.
    binary = join(dir, "app", basename(built.binary));
    mkdirSync(join(dir, "app"));
    copyFileSync(built.binary, binary);
    cache = join(dir, "cache");
    dataDir = join(dir, "data");
    const askdb = await createAskDb({ dataDir, env: {} });
    askdb.settings.update({ "engine.threads": 1, "engine.contextSize": 2048 });
    askdb.activateModel((await askdb.models.add(TEST_MODELS.tiny.path)).id);
    await askdb.close();
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("serves as a sidecar: ready line, a trained answer, the tiny model warm and asked, exit on stdin close", async () => {
    const child = start(["serve", "--sidecar", "--port", "0", "--data-dir", dataDir]);
    const ready = JSON.parse(await firstLine(child)) as { port: number; token: string };
    const api = async (path: string, body?: unknown) =>
      (await fetch(`http://127.0.0.1:${ready.port}${path}`, {
        method: body ? "POST" : "GET",
        headers: { authorization: `Bearer ${ready.token}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      }).then((response) => response.json())) as Record<string, unknown>;

    const trained = await api("/query", { question: "Who are our top 10 customers by total purchases?" });
    expect(trained).toMatchObject({ source: "example", rowCount: 10 });
    await vi.waitFor(async () => expect(await api("/status")).toMatchObject({ warmup: { state: "warm" } }), {
      timeout: 30_000,
      interval: 100,
    });
    // The random-weight model cannot write SQL, but it ran: llama.cpp works from the binary.
    const asked = await api("/query", { question: "how many suppliers are in Pune?" });
    expect(JSON.stringify(asked)).not.toMatch(/BACKEND_UNAVAILABLE|NO_MODEL/);

    const closedAt = Date.now();
    child.stdin?.end();
    expect(await exitOf(child)).toBe(0);
    expect(Date.now() - closedAt).toBeLessThan(1_000);
  }, 120_000);

  it("unpacks its runtime once, and again only when a native file there lost its hash", async () => {
    const [runtime] = readdirSync(cache);
    expect(readdirSync(cache)).toEqual([runtime]);
    const addon = join(cache, runtime, "node_modules/better-sqlite3/build/Release/better_sqlite3.node");
    const unpackedAt = statSync(addon).mtimeMs;
    expect(await versionOf(start(["--version"]))).toMatch(/^\d+\.\d+\.\d+/);
    expect(statSync(addon).mtimeMs).toBe(unpackedAt);

    writeFileSync(addon, "tampered");
    expect(await versionOf(start(["--version"]))).toMatch(/^\d+\.\d+\.\d+/);
    expect(statSync(addon).size).toBeGreaterThan(1_000_000);
    expect(readdirSync(cache)).toEqual([runtime]);
  }, 60_000);

  function start(args: string[]): ChildProcess {
    return spawn(binary, args, {
      cwd: join(dir, "app"),
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: "/usr/bin:/bin", HOME: dir, ASKDB_SIDECAR_CACHE: cache, ASKDB_LOG: "warn" },
    });
  }
});

async function versionOf(child: ChildProcess): Promise<string> {
  const line = await firstLine(child);
  await exitOf(child);
  return line;
}
