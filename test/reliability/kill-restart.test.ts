/**
 * Area 4a: kill -9 of a real `askdb serve` at random moments during training writes and during a
 * download, then restart: the state store passes integrity_check, every acknowledged write is
 * there, no partial model is installed, and the download resumes (Range) to a verified install.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingModelsReason, STORIES_MODEL } from "../../src/engine/testing/index.js";
import { startFileServer, type FileServer } from "../../src/models/testing/index.js";
import { createWorkspace, damageBetween, sha256Of, type WorkspaceSnapshot } from "./support/fixtures.js";
import { seededRandom, startServeProcess, type ServeProcess } from "./support/serve-process.js";
import { areaTally } from "./support/tally.js";

const SEED = Number(process.env.ASKDB_RELIABILITY_SEED ?? 20261122);
const TRAINING_ROUNDS = 3;
const HF_SPEC = "hf:reliability/stories-GGUF/stories260K.gguf";
const random = seededRandom(SEED);
const workspace = createWorkspace("kill");
const tally = areaTally("4. faults: kill -9 + restart");
const acknowledged = new Map<string, string>();
const storePath = join(workspace.dataDir, "askdb.sqlite");
const modelsDir = join(workspace.dataDir, "models");
let files: FileServer;
let baseline: WorkspaceSnapshot;
let running: ServeProcess | undefined;

beforeAll(async () => {
  baseline = workspace.snapshot();
  // Only the download rounds need the fixture model; the training rounds run without it.
  if (missingModelsReason() !== undefined) return;
  files = await startFileServer({
    hfRepos: { "reliability/stories-GGUF": { files: { "stories260K.gguf": STORIES_MODEL } } },
    chunkBytes: 16 * 1024,
    bytesPerSecond: 150_000,
  });
});

afterAll(async () => {
  await running?.kill9();
  await files?.close();
  tally.note(`seed ${SEED}; ${acknowledged.size} acknowledged training writes, all present after each kill`);
  workspace.remove();
});

function serve(): Promise<ServeProcess> {
  return startServeProcess({
    dataDir: workspace.dataDir,
    db: workspace.dbPath,
    env: { TMPDIR: workspace.tmp, ...(files ? { ASKDB_HF_BASE_URL: files.url } : {}) },
  });
}

/** POSTs /train in a loop until stopped (the kill ends it); remembers each 201. */
async function trainUntilKilled(server: ServeProcess, round: string): Promise<number> {
  let sent = 0;
  for (;;) {
    const content = `reliability note ${round}-${sent}: the quantity column counts units, not boxes (${random().toString(36).slice(2)})`;
    sent += 1;
    tally.tried();
    let response: Response;
    try {
      response = await server.api("/train", {
        method: "POST",
        json: { training_type: "documentation", content },
      });
    } catch {
      return sent; // the server is gone: this write was never acknowledged
    }
    if (response.status !== 201) {
      tally.check(false, `POST /train answered ${response.status}: ${await response.text()}`);
      return sent;
    }
    const { id } = (await response.json()) as { id: string };
    acknowledged.set(id, content);
  }
}

/** The state store after a crash: intact, with every acknowledged write. */
function checkStateStore(when: string): void {
  const db = new Database(storePath);
  try {
    const integrity = db.pragma("integrity_check", { simple: true });
    tally.check(integrity === "ok", `${when}: PRAGMA integrity_check said ${String(integrity)}`);
    const present = new Set(
      (db.prepare("SELECT id FROM knowledge").all() as Array<{ id: string }>).map((row) => row.id),
    );
    const lost = [...acknowledged.keys()].filter((id) => !present.has(id));
    tally.check(lost.length === 0, `${when}: ${lost.length} acknowledged training write(s) lost`);
  } finally {
    db.close();
  }
  for (const damage of damageBetween(baseline, workspace.snapshot()))
    tally.check(false, `${when}: ${damage}`);
}

function installedModels(): Array<{ id: string; file_path: string; sha256: string | null }> {
  const db = new Database(storePath, { readonly: true });
  try {
    return db.prepare("SELECT id, file_path, sha256 FROM models").all() as Array<{
      id: string;
      file_path: string;
      sha256: string | null;
    }>;
  } finally {
    db.close();
  }
}

async function killAfter(server: ServeProcess, ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  await server.kill9();
}

describe("kill -9 during training writes", () => {
  for (let round = 0; round < TRAINING_ROUNDS; round += 1) {
    it(`round ${round + 1}: every acknowledged write survives`, async () => {
      running = await serve();
      const before = acknowledged.size;
      const killAt = 150 + Math.floor(random() * 1200);
      await Promise.all([
        trainUntilKilled(running, `${round}a`),
        trainUntilKilled(running, `${round}b`),
        killAfter(running, killAt),
      ]);
      tally.refused(); // the kill: one interrupted write per round at least
      expect(acknowledged.size).toBeGreaterThan(before);
      checkStateStore(`after kill -9 at ${killAt} ms in round ${round + 1}`);
    });
  }
});

describe.skipIf(missingModelsReason() !== undefined)("kill -9 during a download, then restart", () => {
  it("leaves no partial model installed", async () => {
    running = await serve();
    const pulled = await running.api("/api/models/pull", { method: "POST", json: { modelId: HF_SPEC } });
    expect(pulled.status, await pulled.clone().text()).toBe(202);
    const size = statSync(STORIES_MODEL).size;
    const cutAt = size * (0.2 + random() * 0.4);
    const training = trainUntilKilled(running, "download");
    for (let waited = 0; files.bytesSent(".gguf") < cutAt && waited < 30_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    await running.kill9();
    await training;
    tally.tried();
    tally.refused();
    checkStateStore("after kill -9 during the download");
    tally.check(
      installedModels().length === 0,
      `a model is registered after the interrupted download: ${JSON.stringify(installedModels())}`,
    );
    const finished = existsSync(modelsDir)
      ? readdirSync(modelsDir).filter((name) => name.endsWith(".gguf"))
      : [];
    tally.check(
      finished.length === 0,
      `model file(s) in the models folder after the interrupted download: ${finished.join(", ")}`,
    );
  });

  it("resumes with a Range request to a verified install", async () => {
    const requestsBefore = files.requests.length;
    running = await serve();
    const pulled = await running.api("/api/models/pull", { method: "POST", json: { modelId: HF_SPEC } });
    expect(pulled.status, await pulled.clone().text()).toBe(202);
    for (let waited = 0; installedModels().length === 0 && waited < 60_000; waited += 200)
      await new Promise((resolve) => setTimeout(resolve, 200));
    const [model] = installedModels();
    tally.tried();
    tally.check(model !== undefined, "the resumed download never installed");
    tally.check(
      sha256Of(model.file_path) === sha256Of(STORIES_MODEL),
      "the installed model's bytes differ from the served file",
    );
    const resumed = files.requests.slice(requestsBefore).filter((request) => request.path.endsWith(".gguf"));
    tally.check(
      resumed.some((request) => /^bytes=[1-9]\d*-/.test(request.range ?? "")),
      `the restart did not resume with a Range request: ${JSON.stringify(resumed)}`,
    );
    const status = (await (await running.api("/status")).json()) as { modelDownloaded: boolean };
    expect(status.modelDownloaded).toBe(true);
    await running.stop();
    running = undefined;
    checkStateStore("after the resumed download");
  });
});
