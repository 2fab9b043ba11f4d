/**
 * Area 4b: a download server that stalls, drops connections, lies about its length, loops
 * redirects, answers errors, corrupts or ignores Range: each ends in a clear error or a resume,
 * never a corrupt install; once the server behaves, the same pull resumes to a verified model.
 */
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isAskDbError } from "../../src/errors/index.js";
import { missingModelsReason, STORIES_MODEL } from "../../src/engine/testing/index.js";
import { createModelManager, type ModelManager } from "../../src/models/index.js";
import { startFileServer, type FileServer, type FileServerFault } from "../../src/models/testing/index.js";
import { openStore, type Store } from "../../src/store/index.js";
import { createWorkspace, sha256Of } from "./support/fixtures.js";
import { areaTally } from "./support/tally.js";

const workspace = createWorkspace("downloads");
const tally = areaTally("4. faults: download server");
const CLEAR_CODES = new Set(["DOWNLOAD_FAILED", "NETWORK", "INTEGRITY_FAILED", "MODEL_INVALID"]);
let store: Store;
let manager: ModelManager;
let files: FileServer;
let liar: Server;
let liarUrl: string;
let modelBytes: Buffer;
let modelSha256: string;

beforeAll(async () => {
  store = openStore(workspace.dataDir);
  liar = await startLyingServer();
  liarUrl = `http://127.0.0.1:${(liar.address() as AddressInfo).port}`;
  // The cases are skipped without the fixture model; nothing here may read it then.
  if (missingModelsReason() !== undefined) return;
  modelBytes = readFileSync(STORIES_MODEL);
  modelSha256 = sha256Of(STORIES_MODEL);
  files = await startFileServer({ files: { "/m/stories260K.gguf": STORIES_MODEL }, chunkBytes: 32 * 1024 });
});

afterEach(async () => {
  // Each case starts from nothing: no model, no partial file.
  for (const model of manager?.list() ?? []) await manager.remove(model.id);
  await manager?.close();
  store.db.exec("DELETE FROM downloads");
  rmSync(join(workspace.dataDir, "models", ".downloads"), { recursive: true, force: true });
});

afterAll(async () => {
  store?.close();
  await files?.close();
  await new Promise((resolve) => liar?.close(resolve));
  workspace.remove();
});

function freshManager(): ModelManager {
  manager = createModelManager({
    store,
    stallTimeoutMs: 1500,
    retries: 1,
    retryBaseDelayMs: 50,
    progressIntervalMs: 50,
  });
  return manager;
}

/** Pulls `url`; the outcome is "installed" (then verified byte for byte) or a clear error code. */
async function pullOutcome(url: string, label: string): Promise<string> {
  tally.tried();
  const handle = await freshManager().pull(url, { sha256: modelSha256 });
  try {
    const installed = await handle.done;
    tally.check(
      sha256Of(installed.path) === modelSha256,
      `${label}: an installed model does not match the served file`,
    );
    return "installed";
  } catch (error) {
    tally.refused();
    const clear = isAskDbError(error) && CLEAR_CODES.has(error.code) && error.message.length > 0;
    tally.check(clear, `${label}: unclear failure ${String(error)}`);
    tally.check(manager.list().length === 0, `${label}: a model is registered after a failed download`);
    const stray = readdirSync(manager.modelsDir).filter((name) => name.endsWith(".gguf"));
    tally.check(stray.length === 0, `${label}: ${stray.join(", ")} left in the models folder`);
    return isAskDbError(error) ? error.code : String(error);
  }
}

describe.skipIf(missingModelsReason() !== undefined)("a misbehaving download server", () => {
  const faults: Array<[string, FileServerFault]> = [
    ["drops the connection half-way (every time)", { kind: "cut", times: 100 }],
    ["drops the connection once, then recovers", { kind: "cut", times: 1 }],
    ["stalls with the connection open (every time)", { kind: "stall", times: 100 }],
    ["stalls once, then recovers", { kind: "stall", times: 1 }],
    ["answers 500 (every time)", { kind: "status", status: 500, times: 100 }],
    ["answers 404", { kind: "status", status: 404, times: 100 }],
    ["answers 416 to a range", { kind: "status", status: 416, times: 100 }],
    ["serves corrupted bytes", { kind: "corrupt", times: 100 }],
    ["ignores Range", { kind: "ignore-range", times: 100 }],
  ];

  it.each(faults)("%s: a clear error or a verified install, then a resume", async (label, fault) => {
    files.setFault("stories260K.gguf", fault);
    const url = `${files.url}/m/stories260K.gguf`;
    const outcome = await pullOutcome(url, label);
    expect(["installed", ...CLEAR_CODES]).toContain(outcome);
    files.setFault("stories260K.gguf", undefined);
    if (outcome !== "installed") expect(await pullOutcome(url, `${label}, then healthy`)).toBe("installed");
  });

  const lies: Array<[string, string]> = [
    ["Content-Length bigger than the body", "/longer/stories260K.gguf"],
    ["Content-Length smaller than the file (a truncated body)", "/shorter/stories260K.gguf"],
    ["no Content-Length, body cut short", "/unknown-length/stories260K.gguf"],
    ["redirects to itself forever", "/loop/stories260K.gguf"],
    ["redirects in a two-step loop", "/ping/stories260K.gguf"],
    ["redirects to a closed port", "/dead-end/stories260K.gguf"],
  ];

  it.each(lies)("%s: a clear error, no install", async (label, path) => {
    const outcome = await pullOutcome(`${liarUrl}${path}`, label);
    expect([...CLEAR_CODES]).toContain(outcome);
  });
});

/** A server that lies: wrong Content-Length, endless redirects. */
function startLyingServer(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    if (path.startsWith("/longer/")) {
      res.writeHead(200, {
        "content-length": String(modelBytes.length + 50_000),
        "content-type": "application/octet-stream",
      });
      res.write(modelBytes);
      setTimeout(() => res.destroy(), 20);
    } else if (path.startsWith("/shorter/")) {
      const cut = modelBytes.subarray(0, modelBytes.length - 100_000);
      res.writeHead(200, {
        "content-length": String(cut.length),
        "content-type": "application/octet-stream",
      });
      res.end(cut);
    } else if (path.startsWith("/unknown-length/")) {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(modelBytes.subarray(0, modelBytes.length / 2));
    } else if (path.startsWith("/loop/")) {
      res.writeHead(302, { location: path }).end();
    } else if (path.startsWith("/ping/")) {
      res.writeHead(302, { location: path.replace("/ping/", "/pong/") }).end();
    } else if (path.startsWith("/pong/")) {
      res.writeHead(302, { location: path.replace("/pong/", "/ping/") }).end();
    } else if (path.startsWith("/dead-end/")) {
      res.writeHead(302, { location: "http://127.0.0.1:1/stories260K.gguf" }).end();
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}
