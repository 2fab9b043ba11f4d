import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";

export const IO_BUFFER_BYTES = 8 * 1024 * 1024;

/** Feeds a file's bytes into `hash` (big reads: hashing runs at disk speed). */
export async function hashFileInto(path: string, hash: Hash): Promise<void> {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback();
    },
  });
  await pipeline(createReadStream(path, { highWaterMark: IO_BUFFER_BYTES }), sink);
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  await hashFileInto(path, hash);
  return hash.digest("hex");
}
