import { transferToPart } from "./src/models/transfer.ts";
import { rmSync } from "node:fs";
const url = process.argv[2];
for (let i = 0; i < 2; i++) {
  rmSync("/tmp/exp.part", { force: true });
  const t = performance.now();
  let calls = 0;
  const r = await transferToPart({ url, headers: {}, partPath: "/tmp/exp.part", expectedSize: null, etag: null, signal: new AbortController().signal, stallTimeoutMs: 30000, retries: 0, retryBaseDelayMs: 10, onProgress: () => { calls++; } });
  const s = (performance.now() - t) / 1000;
  console.log("transferToPart", s.toFixed(2), "s", (r.bytes / 1e6 / s).toFixed(0), "MB/s", "progress calls", calls);
}
