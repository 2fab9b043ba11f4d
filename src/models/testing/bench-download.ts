/**
 * Download throughput of the model manager against curl, on the same local server and file.
 * Run: npx tsx src/models/testing/bench-download.ts [megabytes=512]
 * Not a test: timings vary with the machine; it prints both rates and their ratio.
 */
import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { openStore } from "../../store/index.js";
import { formatBytes } from "../../util/index.js";
import { createModelManager } from "../index.js";
import { TEST_MODELS } from "./fixtures.js";

const megabytes = Number(process.argv[2] ?? 512);
// A valid GGUF header followed by padding, so the manager's full path (hash, GGUF check, install) runs.
const content = Buffer.concat([readFileSync(TEST_MODELS.tiny.path), randomBytes(megabytes * 1_000_000)]);
const dir = mkdtempSync(join(tmpdir(), "askdb-bench-"));
writeFileSync(join(dir, "big.gguf"), content);
// The server runs in its own process, as a real one would: it must not share this event loop.
const server = spawn(
  process.execPath,
  [...process.execArgv, new URL("./serve-files.ts", import.meta.url).pathname, join(dir, "big.gguf")],
  {
    stdio: ["ignore", "pipe", "inherit"],
  },
);
const [firstLine] = (await once(server.stdout, "data")) as [Buffer];
const url = `${firstLine.toString().trim()}/big.gguf`;

function rate(seconds: number): string {
  return `${formatBytes(content.length / seconds)}/s`;
}

try {
  const curlStarted = performance.now();
  // Async: the server runs in this process and must keep serving while curl downloads.
  await promisify(execFile)("curl", ["-sS", "-o", join(dir, "curl.bin"), url]);
  const curlSeconds = (performance.now() - curlStarted) / 1000;
  // What a careful user does by hand: download, then check the sha256.
  await promisify(execFile)("sha256sum", [join(dir, "curl.bin")]);
  const curlVerifiedSeconds = (performance.now() - curlStarted) / 1000;
  rmSync(join(dir, "curl.bin"));

  const store = openStore(dir);
  const manager = createModelManager({ store, modelsDir: join(dir, "models") });
  const phases = new Map<string, number>();
  manager.downloads.subscribe((progress) =>
    phases.set(progress.status, phases.get(progress.status) ?? performance.now()),
  );
  const started = performance.now();
  await (
    await manager.pull(url)
  ).done;
  const askdbSeconds = (performance.now() - started) / 1000;
  const transferSeconds = ((phases.get("verifying") ?? 0) - (phases.get("downloading") ?? 0)) / 1000;
  await manager.close();
  store.close();

  console.log(`file: ${formatBytes(content.length)}`);
  console.log(`curl:  ${curlSeconds.toFixed(2)} s  ${rate(curlSeconds)}`);
  console.log(`curl + sha256sum: ${curlVerifiedSeconds.toFixed(2)} s  ${rate(curlVerifiedSeconds)}`);
  console.log(
    `askdb: ${askdbSeconds.toFixed(2)} s  ${rate(askdbSeconds)}  (download + sha256 + GGUF check + install)`,
  );
  console.log(`       of which transfer + sha256: ${transferSeconds.toFixed(2)} s  ${rate(transferSeconds)}`);
  console.log(
    `askdb / curl time: ${(askdbSeconds / curlSeconds).toFixed(2)}; askdb / (curl + sha256sum): ${(askdbSeconds / curlVerifiedSeconds).toFixed(2)}`,
  );
} finally {
  server.kill("SIGTERM");
  rmSync(dir, { recursive: true, force: true });
}
