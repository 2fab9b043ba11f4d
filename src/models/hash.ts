import { Worker } from "node:worker_threads";
import { stat } from "node:fs/promises";

/**
 * The worker hashes the file as it grows, reading back what the download wrote (from the page
 * cache), so SHA-256 runs on another core instead of stalling the receiving thread. CommonJS source
 * evaluated in place: it needs no build step and no file next to the compiled code.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const { openSync, readSync, closeSync } = require("node:fs");
const buffer = Buffer.allocUnsafe(8 * 1024 * 1024);
let fd, hash, position = 0, target = 0;
// A read can come up short when the file was just truncated for a restart (a "reset" message
// follows); the final digest is what insists that every byte was hashed.
function catchUp() {
  while (position < target) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, target - position), position);
    if (n === 0) return;
    hash.update(buffer.subarray(0, n));
    position += n;
  }
}
parentPort.on("message", (message) => {
  try {
    if (message.type === "open") { fd = openSync(message.path, "r"); hash = createHash("sha256"); }
    else if (message.type === "reset") { hash = createHash("sha256"); position = 0; target = 0; }
    else if (message.type === "advance") { target = Math.max(target, message.upTo); catchUp(); }
    else if (message.type === "digest") {
      target = message.upTo; catchUp();
      if (position !== target) throw new Error("the file has " + position + " bytes, " + target + " were written");
      parentPort.postMessage({ type: "digest", hex: hash.digest("hex") });
      closeSync(fd);
    }
  } catch (error) {
    parentPort.postMessage({ type: "error", message: String(error && error.message || error) });
  }
});
`;

const ADVANCE_STEP_BYTES = 4 * 1024 * 1024;

type WorkerMessage = { type: "digest"; hex: string } | { type: "error"; message: string };

/** SHA-256 of a file that is being written, computed on a worker thread. */
export class FileHasher {
  private readonly worker: Worker;
  private failure: Error | undefined;
  private announced = 0;

  constructor(path: string) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
    this.worker.unref();
    this.worker.on("message", (message: WorkerMessage) => {
      if (message.type === "error") this.failure = new Error(`hashing ${path} failed: ${message.message}`);
    });
    this.worker.on("error", (error) => (this.failure = error));
    this.worker.postMessage({ type: "open", path });
  }

  /**
   * The first `bytes` of the file are final: hash them (in the background). The worker is told in
   * steps of a few megabytes: a message per network chunk (64 KB) costs more than the hashing.
   */
  advance(bytes: number): void {
    if (bytes - this.announced < ADVANCE_STEP_BYTES) return;
    this.announced = bytes;
    this.worker.postMessage({ type: "advance", upTo: bytes });
  }

  /** The file was truncated to zero and is written again from the start. */
  reset(): void {
    this.announced = 0;
    this.worker.postMessage({ type: "reset" });
  }

  /** The hex digest of the first `bytes` of the file. */
  digest(bytes: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const settle = (message: WorkerMessage | Error) => {
        this.worker.off("message", settle).off("error", settle);
        if (message instanceof Error) reject(message);
        else if (message.type === "digest") resolve(message.hex);
        else reject(new Error(message.message));
      };
      this.worker.on("message", settle).on("error", settle);
      this.worker.postMessage({ type: "digest", upTo: bytes });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export async function sha256OfFile(path: string): Promise<string> {
  const { size } = await stat(path);
  const hasher = new FileHasher(path);
  try {
    return await hasher.digest(size);
  } finally {
    await hasher.close();
  }
}
