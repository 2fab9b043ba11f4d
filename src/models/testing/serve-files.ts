/**
 * Serves files over HTTP with the test file server, for trying downloads by hand and for benchmarks.
 * Run: npx tsx src/models/testing/serve-files.ts [--bytes-per-second N] <file>...
 * Prints the base URL; each file is served at /<its file name>. Stops on Ctrl-C.
 */
import { basename } from "node:path";
import { startFileServer } from "./file-server.js";

const args = process.argv.slice(2);
const rateAt = args.indexOf("--bytes-per-second");
const bytesPerSecond = rateAt >= 0 ? Number(args.splice(rateAt, 2)[1]) : undefined;
const files = Object.fromEntries(args.map((path) => [`/${basename(path)}`, path]));
const server = await startFileServer({ files, bytesPerSecond, chunkBytes: 1024 * 1024 });
process.stdout.write(`${server.url}\n`);
process.once("SIGINT", () => void server.close().then(() => process.exit(0)));
process.once("SIGTERM", () => void server.close().then(() => process.exit(0)));
