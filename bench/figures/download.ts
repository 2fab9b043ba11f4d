import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, openSync, readFileSync, renameSync, statSync, writeSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { createModelManager } from "../../src/models/index.js";
import { startFileServer } from "../../src/models/testing/index.js";
import { openStore } from "../../src/store/index.js";
import { TEST_MODELS } from "../../src/models/testing/index.js";
import { scratchDir } from "../support/setup.js";
import { median, round } from "../support/stats.js";
import type { BenchContext, FigureGroup, Measurement } from "../support/types.js";

const GB = 1_000_000_000;
const MB = 1_000_000;

/** A valid GGUF header followed by random bytes, so the manager's whole path (sha256, GGUF check, install) runs. */
function ensureDownloadFile(context: BenchContext, bytes: number): string {
  const path = join(context.cacheDir, `download-${bytes}.gguf`);
  if (existsSync(path) && statSync(path).size === bytes) return path;
  context.log(`writing a ${bytes / MB} MB file to download (once)…`);
  const header = readFileSync(TEST_MODELS.tiny.path);
  const fd = openSync(`${path}.tmp`, "w");
  try {
    writeSync(fd, header);
    for (let written = header.length; written < bytes;) {
      const chunk = randomBytes(Math.min(16 * MB, bytes - written));
      writeSync(fd, chunk);
      written += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.tmp`, path);
  return path;
}

/** The model manager's full pull (download, sha256, GGUF check, install), in seconds. */
async function askdbPull(url: string, sha256?: string): Promise<{ seconds: number; bytes: number }> {
  const work = scratchDir("pull");
  const store = openStore(work.dir);
  const manager = createModelManager({ store, modelsDir: join(work.dir, "models"), retryBaseDelayMs: 50 });
  try {
    const started = performance.now();
    const handle = await manager.pull(url, sha256 ? { sha256 } : {});
    const model = await handle.done;
    return { seconds: (performance.now() - started) / 1000, bytes: model.sizeBytes };
  } finally {
    await manager.close();
    store.close();
    work.dispose();
  }
}

/** curl's download time, and with the sha256sum a careful user runs after it (askdb always verifies). */
async function curl(url: string): Promise<{ seconds: number; verifiedSeconds: number }> {
  const work = scratchDir("curl");
  const file = join(work.dir, "file.bin");
  try {
    const started = performance.now();
    await promisify(execFile)("curl", ["-sS", "--fail", "-o", file, url]);
    const seconds = (performance.now() - started) / 1000;
    await promisify(execFile)("sha256sum", [file]);
    return { seconds, verifiedSeconds: (performance.now() - started) / 1000 };
  } finally {
    work.dispose();
  }
}

/**
 * Both downloads write a gigabyte through the page cache; without this the one that runs while the
 * other's dirty pages are written back to disk is throttled, and the figure measures the disk.
 */
async function flushDirtyPages(): Promise<void> {
  await promisify(execFile)("sync");
}

/** Throughput against curl, both writing the file to disk, from a server in its own process. */
async function downloadVsCurl(context: BenchContext): Promise<Measurement> {
  const bytes = context.quick ? 256 * MB : GB;
  const file = ensureDownloadFile(context, bytes);
  const server = spawn(
    process.execPath,
    [...process.execArgv, join(context.repoRoot, "src", "models", "testing", "serve-files.ts"), file],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  try {
    const [base] = (await once(createInterface({ input: server.stdout! }), "line")) as [string];
    const url = `${base.trim()}/${file.split("/").pop()}`;
    const curlSeconds: number[] = [];
    const curlVerifiedSeconds: number[] = [];
    const askdbSeconds: number[] = [];
    // The served file is read into the page cache once, so that no timed run reads it from disk.
    await promisify(execFile)("curl", ["-sS", "--fail", "-o", "/dev/null", url]);
    for (let run = 0; run < (context.quick ? 1 : 5); run += 1) {
      await flushDirtyPages();
      const timed = await curl(url);
      curlSeconds.push(timed.seconds);
      curlVerifiedSeconds.push(timed.verifiedSeconds);
      await flushDirtyPages();
      askdbSeconds.push((await askdbPull(url)).seconds);
      context.log(
        `download: curl ${curlSeconds.at(-1)!.toFixed(2)} s, askdb ${askdbSeconds.at(-1)!.toFixed(2)} s`,
      );
    }
    const curlRate = bytes / median(curlSeconds);
    const askdbRate = bytes / median(askdbSeconds);
    const ratio = askdbRate / curlRate;
    return {
      id: "download",
      figure: `download from a local server, ${bytes / MB} MB, vs curl`,
      measured: `${ratio.toFixed(2)}× curl (${(askdbRate / MB).toFixed(0)} vs ${(curlRate / MB).toFixed(0)} MB/s)`,
      target: "≥ 0.9× curl",
      pass: ratio >= 0.9,
      details: {
        curlSeconds,
        curlThenSha256sumSeconds: curlVerifiedSeconds,
        askdbSeconds,
        vsCurlThenSha256sum: round(median(curlVerifiedSeconds) / median(askdbSeconds)),
        note: "askdb's time includes sha256 (on a worker, while downloading), the GGUF check and the install",
      },
    };
  } finally {
    server.kill("SIGTERM");
  }
}

/** The connection is cut once at half the file; the retry resumes with a Range request. */
async function resumeAfterCut(context: BenchContext): Promise<Measurement> {
  const bytes = context.quick ? 64 * MB : 256 * MB;
  const content = readFileSync(ensureDownloadFile(context, bytes));
  const server = await startFileServer({ files: { "/model.gguf": content } });
  try {
    server.setFault("/model.gguf", { kind: "cut", times: 1 });
    await askdbPull(`${server.url}/model.gguf`);
    const sent = server.bytesSent("/model.gguf");
    const twice = (sent - bytes) / bytes;
    return {
      id: "resume",
      figure: "resume after a cut at half (bytes transferred twice)",
      measured: `${(twice * 100).toFixed(2)}%`,
      target: "≤ 1% of the file",
      pass: twice <= 0.01,
      details: {
        fileBytes: bytes,
        bytesSent: sent,
        requests: server.requests.map((r) => ({ status: r.status, range: r.range, bytesSent: r.bytesSent })),
      },
    };
  } finally {
    await server.close();
  }
}

export const downloadFigures: FigureGroup = {
  ids: ["download", "resume"],
  async run(context, selected) {
    const results: Measurement[] = [];
    if (selected.has("download")) results.push(await downloadVsCurl(context));
    if (selected.has("resume")) results.push(await resumeAfterCut(context));
    return results;
  },
};
