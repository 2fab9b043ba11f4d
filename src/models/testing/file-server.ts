/**
 * A real HTTP file server for tests (127.0.0.1, ephemeral port): Range requests, ETags, a
 * Hugging Face look-alike (file listing + resolve with a redirect), redirects to any address, and
 * faults a download must survive or report: a connection cut part-way, a stall, error statuses,
 * corrupted bytes, a server that ignores Range. Used by the model manager's tests and by other
 * suites (reliability, web e2e).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export type FileServerFault =
  /** Send `afterBytes` (default: half the requested bytes), then drop the connection. */
  | { kind: "cut"; afterBytes?: number; times?: number }
  /** Send `afterBytes` (default: half), then go silent with the connection open. */
  | { kind: "stall"; afterBytes?: number; times?: number }
  /** Answer with this status and no file. */
  | { kind: "status"; status: number; times?: number }
  /** Serve the file with one byte changed (its sha256 no longer matches). */
  | { kind: "corrupt"; times?: number }
  /** Answer every request with 200 and the whole file, as servers without Range support do. */
  | { kind: "ignore-range"; times?: number };

/** A served file: a local path (read once) or the bytes themselves. */
export type FileSource = string | Buffer;

export interface HfRepoFixture {
  revision?: string;
  /** File path inside the repo → content. */
  files: Record<string, FileSource>;
}

export interface FileServerOptions {
  /** URL path (e.g. "/models/a.gguf") → content. */
  files?: Record<string, FileSource>;
  /** "owner/repo" → files, served like huggingface.co: `/api/models/{repo}/tree/{revision}[/dir]` and `/{repo}/resolve/{revision}/{path}`. */
  hfRepos?: Record<string, HfRepoFixture>;
  /** When set, the Hugging Face routes answer 401 without `Authorization: Bearer <token>`. */
  requireToken?: string;
  /** URL path → where it redirects (302), e.g. to test which redirects a client follows. */
  redirects?: Record<string, string>;
  /** Bytes per write; small values make progress observable. Default 256 KiB. */
  chunkBytes?: number;
  /** Throttle every response to about this rate (for progress bars, pause and Ctrl-C by hand or in e2e tests). */
  bytesPerSecond?: number;
}

export interface ServedRequest {
  method: string;
  path: string;
  range?: string;
  ifRange?: string;
  authorization?: string;
  status: number;
  bytesSent: number;
}

export interface FileServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43121 */
  readonly url: string;
  readonly requests: ServedRequest[];
  /** Applies `fault` to requests whose path ends with `pathSuffix` (or clears it). */
  setFault(pathSuffix: string, fault: FileServerFault | undefined): void;
  /** Replaces a plain file's content (its ETag changes), e.g. to simulate an upstream update. */
  setFile(path: string, content: FileSource): void;
  /** Body bytes sent for paths ending with `pathSuffix` (all paths when omitted). */
  bytesSent(pathSuffix?: string): number;
  close(): Promise<void>;
}

interface Entry {
  content: Buffer;
  etag: string;
  sha256: string;
}

interface ActiveFault {
  fault: FileServerFault;
  remaining: number;
}

export async function startFileServer(options: FileServerOptions = {}): Promise<FileServer> {
  const files = new Map<string, Entry>();
  for (const [path, source] of Object.entries(options.files ?? {})) files.set(path, entryOf(source));
  const hfFiles = new Map<string, { repo: string; revision: string; path: string; entry: Entry }>();
  for (const [repo, fixture] of Object.entries(options.hfRepos ?? {})) {
    const revision = fixture.revision ?? "main";
    for (const [path, source] of Object.entries(fixture.files)) {
      hfFiles.set(`${repo}@${revision}/${path}`, { repo, revision, path, entry: entryOf(source) });
    }
  }
  const faults = new Map<string, ActiveFault>();
  const requests: ServedRequest[] = [];
  const sockets = new Set<Socket>();
  const chunkBytes = options.chunkBytes ?? 256 * 1024;

  const server = createServer((req, res) => {
    const log: ServedRequest = {
      method: req.method ?? "GET",
      path: decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname),
      range: header(req, "range"),
      ifRange: header(req, "if-range"),
      authorization: header(req, "authorization"),
      status: 0,
      bytesSent: 0,
    };
    requests.push(log);
    route(req, res, log).catch(() => res.destroy());
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function route(req: IncomingMessage, res: ServerResponse, log: ServedRequest): Promise<void> {
    const redirect = options.redirects?.[log.path];
    if (redirect) return redirectTo(res, log, redirect);
    const hfMatch = matchHf(log.path);
    if (hfMatch && options.requireToken && log.authorization !== `Bearer ${options.requireToken}`) {
      return answer(res, log, 401, { error: "Invalid credentials in Authorization header" });
    }
    if (hfMatch?.kind === "tree") return listTree(res, log, hfMatch.repo, hfMatch.revision, hfMatch.dir);
    if (hfMatch?.kind === "resolve") {
      const file = hfFiles.get(`${hfMatch.repo}@${hfMatch.revision}/${hfMatch.path}`);
      if (!file) return answer(res, log, 404, { error: "Entry not found" });
      // Like huggingface.co, LFS files redirect to a CDN URL.
      return redirectTo(
        res,
        log,
        `/cdn/${file.entry.sha256}/${encodeURIComponent(file.path.split("/").pop()!)}`,
      );
    }
    const cdn = /^\/cdn\/([0-9a-f]{64})\//.exec(log.path);
    const entry = cdn
      ? [...hfFiles.values()].find((file) => file.entry.sha256 === cdn[1])?.entry
      : files.get(log.path);
    if (!entry) return answer(res, log, 404, { error: "not found" });
    await serveFile(req, res, log, entry);
  }

  function listTree(
    res: ServerResponse,
    log: ServedRequest,
    repo: string,
    revision: string,
    dir: string,
  ): void {
    const inRepo = [...hfFiles.values()].filter((file) => file.repo === repo);
    if (inRepo.length === 0) return answer(res, log, 404, { error: "Repository not found" });
    const atRevision = inRepo.filter((file) => file.revision === revision);
    if (atRevision.length === 0) return answer(res, log, 404, { error: `Invalid rev id: ${revision}` });
    const listed = atRevision
      .filter((file) =>
        dir
          ? file.path.startsWith(`${dir}/`) && !file.path.slice(dir.length + 1).includes("/")
          : !file.path.includes("/"),
      )
      .map((file) => ({
        type: "file",
        oid: createHash("sha1").update(file.path).digest("hex"),
        size: file.entry.content.length,
        path: file.path,
        lfs: { oid: file.entry.sha256, size: file.entry.content.length, pointerSize: 134 },
      }));
    answer(res, log, 200, [
      { type: "file", oid: "0".repeat(40), size: 12, path: dir ? `${dir}/README.md` : "README.md" },
      ...listed,
    ]);
  }

  async function serveFile(
    req: IncomingMessage,
    res: ServerResponse,
    log: ServedRequest,
    entry: Entry,
  ): Promise<void> {
    const fault = takeFault(log.path);
    if (fault?.kind === "status")
      return answer(res, log, fault.status, { error: `injected ${fault.status}` });
    const content = fault?.kind === "corrupt" ? corrupted(entry.content) : entry.content;
    const size = content.length;
    let start = 0;
    let status = 200;
    const range = fault?.kind === "ignore-range" ? undefined : log.range;
    const ifRangeOk = !log.ifRange || log.ifRange === entry.etag;
    if (range && ifRangeOk) {
      const match = /^bytes=(\d+)-(\d*)$/.exec(range);
      if (!match || Number(match[1]) >= size) {
        log.status = 416;
        res.writeHead(416, { "content-range": `bytes */${size}` });
        res.end();
        return;
      }
      start = Number(match[1]);
      status = 206;
    }
    const headers: Record<string, string | number> = {
      "content-length": size - start,
      "content-type": "application/octet-stream",
      etag: entry.etag,
      ...(fault?.kind === "ignore-range" ? {} : { "accept-ranges": "bytes" }),
      ...(status === 206 ? { "content-range": `bytes ${start}-${size - 1}/${size}` } : {}),
    };
    log.status = status;
    res.writeHead(status, headers);
    if (req.method === "HEAD") return void res.end();
    const stopAt =
      fault?.kind === "cut" || fault?.kind === "stall"
        ? start + (fault.afterBytes ?? Math.floor((size - start) / 2))
        : size;
    for (let offset = start; offset < Math.min(stopAt, size); offset += chunkBytes) {
      const piece = content.subarray(offset, Math.min(offset + chunkBytes, stopAt, size));
      log.bytesSent += piece.length;
      if (!res.write(piece)) await drained(res);
      if (options.bytesPerSecond) await sleep((piece.length / options.bytesPerSecond) * 1000);
      if (res.destroyed) return;
    }
    if (fault?.kind === "cut") return void res.socket?.destroy();
    if (fault?.kind === "stall") return; // keep the connection open and silent
    res.end();
  }

  function takeFault(path: string): FileServerFault | undefined {
    for (const [suffix, active] of faults) {
      if (!path.endsWith(suffix)) continue;
      active.remaining -= 1;
      if (active.remaining <= 0) faults.delete(suffix);
      return active.fault;
    }
    return undefined;
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setFault(pathSuffix, fault) {
      if (!fault) faults.delete(pathSuffix);
      else
        faults.set(pathSuffix, {
          fault,
          remaining:
            fault.times ?? (fault.kind === "corrupt" || fault.kind === "ignore-range" ? Infinity : 1),
        });
    },
    setFile(path, content) {
      files.set(path, entryOf(content));
    },
    bytesSent(pathSuffix) {
      return requests
        .filter((r) => !pathSuffix || r.path.endsWith(pathSuffix))
        .reduce((sum, r) => sum + r.bytesSent, 0);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function entryOf(source: FileSource): Entry {
  const content = typeof source === "string" ? readFileSync(source) : source;
  const sha256 = createHash("sha256").update(content).digest("hex");
  return { content, sha256, etag: `"${sha256.slice(0, 32)}"` };
}

function corrupted(content: Buffer): Buffer {
  const copy = Buffer.from(content);
  const middle = Math.floor(copy.length / 2);
  copy[middle] = copy[middle] ^ 0xff;
  return copy;
}

function matchHf(
  path: string,
):
  | { kind: "tree"; repo: string; revision: string; dir: string }
  | { kind: "resolve"; repo: string; revision: string; path: string }
  | undefined {
  const tree = /^\/api\/models\/([^/]+\/[^/]+)\/tree\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (tree) return { kind: "tree", repo: tree[1], revision: tree[2], dir: tree[3] ?? "" };
  const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
  if (resolve) return { kind: "resolve", repo: resolve[1], revision: resolve[2], path: resolve[3] };
  return undefined;
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function redirectTo(res: ServerResponse, log: ServedRequest, location: string): void {
  log.status = 302;
  res.writeHead(302, { location });
  res.end();
}

function answer(res: ServerResponse, log: ServedRequest, status: number, body: unknown): void {
  log.status = status;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
