/**
 * The entry point of the one-file sidecar binary (`npm run build:sidecar`), a Node single executable
 * application. The binary carries askdb's runtime (its compiled code, web UI, prompts, demo and the
 * production node_modules with the native addons) as one compressed asset. The first start unpacks
 * it into a versioned cache folder; every start checks the native files there by hash before
 * loading them, then runs askdb's CLI from that folder.
 *
 * Transpiled alone to CommonJS for the binary, whose `require` knows only Node's built-in modules:
 * this file imports nothing else.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { dirname, isAbsolute, join, sep } from "node:path";
import { getAsset, getRawAsset, isSea } from "node:sea";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

/** One file of the runtime: where it goes, where its bytes are in the unpacked payload, its hash. */
export interface RuntimeFile {
  path: string;
  offset: number;
  size: number;
  sha256: string;
  executable: boolean;
  /** A native library (.node, .so, .dylib, .dll): checked by hash on every start. */
  native: boolean;
}

/** The `meta` asset. `hash` is the sha256 of the unpacked payload (all files, concatenated). */
export interface RuntimeMeta {
  version: string;
  hash: string;
  /** The CLI's entry point, relative to the runtime's root. */
  main: string;
  files: RuntimeFile[];
}

export const META_ASSET = "meta";
export const PAYLOAD_ASSET = "payload";
/** Written last into an unpacked folder: without it the folder is an interrupted unpack. */
const COMPLETE_MARK = ".complete";
/** A CommonJS file on disk whose `import()` loads askdb's ES modules (the binary's own code cannot). */
const IMPORTER = ".import.cjs";
const NATIVE_FILE = /\.(node|so(\.\d+)*|dylib|dll)$/;

export function isNativeFile(path: string): boolean {
  return NATIVE_FILE.test(path);
}

export function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export class SidecarCacheError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "SidecarCacheError";
  }
}

/** Where unpacked runtimes live: $ASKDB_SIDECAR_CACHE, else the OS cache folder + askdb/sidecar. */
export function sidecarCacheBase(env: NodeJS.ProcessEnv = process.env): string {
  if (env.ASKDB_SIDECAR_CACHE) return env.ASKDB_SIDECAR_CACHE;
  const home = os.homedir();
  if (process.platform === "win32")
    return join(env.LOCALAPPDATA ?? join(home, "AppData", "Local"), "askdb", "sidecar");
  if (process.platform === "darwin") return join(home, "Library", "Caches", "askdb", "sidecar");
  return join(env.XDG_CACHE_HOME ?? join(home, ".cache"), "askdb", "sidecar");
}

export function runtimeFolder(meta: RuntimeMeta, base: string): string {
  return join(base, `${meta.version}-${meta.hash.slice(0, 16)}`);
}

/**
 * The unpacked runtime's folder: unpacked on first use (or again when a native file there no
 * longer has its hash), its native files checked before anything loads them.
 */
export function ensureRuntime(meta: RuntimeMeta, payload: () => Uint8Array, base: string): string {
  const root = runtimeFolder(meta, base);
  if (existsSync(join(root, COMPLETE_MARK)) && nativeFilesIntact(meta, root)) return root;
  rmSync(root, { recursive: true, force: true });
  unpack(meta, payload(), root);
  if (!nativeFilesIntact(meta, root)) {
    throw new SidecarCacheError(
      `the native files unpacked into ${root} do not match their hashes`,
      `check that nothing else writes into ${base} (an antivirus, a cleanup tool), delete that folder and start askdb again`,
    );
  }
  return root;
}

function nativeFilesIntact(meta: RuntimeMeta, root: string): boolean {
  return meta.files
    .filter((file) => file.native)
    .every((file) => {
      const path = join(root, file.path);
      return existsSync(path) && sha256(readFileSync(path)) === file.sha256;
    });
}

/** Unpacks into a private folder and renames it into place, so a crash or a second process never sees half a runtime. */
function unpack(meta: RuntimeMeta, compressed: Uint8Array, root: string): void {
  const bytes = gunzipSync(compressed);
  if (sha256(bytes) !== meta.hash) {
    throw new SidecarCacheError(
      "this askdb binary is damaged: its embedded runtime does not match its hash",
      "download or build the binary again (`npm run build:sidecar`)",
    );
  }
  const partial = `${root}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    for (const file of meta.files) {
      const target = join(partial, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, bytes.subarray(file.offset, file.offset + file.size), {
        mode: file.executable ? 0o755 : 0o644,
      });
    }
    writeFileSync(join(partial, IMPORTER), "module.exports = (url) => import(url);\n");
    writeFileSync(join(partial, COMPLETE_MARK), `${meta.hash}\n`);
    publish(partial, root);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw unpackError(root, error);
  }
}

/** Another process may have published the same runtime first: its copy is as good as ours. */
function publish(partial: string, root: string): void {
  try {
    renameSync(partial, root);
  } catch (error) {
    if (!existsSync(join(root, COMPLETE_MARK))) throw error;
    rmSync(partial, { recursive: true, force: true });
  }
}

function unpackError(root: string, cause: unknown): SidecarCacheError {
  const code = (cause as NodeJS.ErrnoException).code;
  const hint =
    code === "ENOSPC"
      ? `free some disk space (the runtime needs about 100 MB), or set ASKDB_SIDECAR_CACHE to a folder on another disk`
      : `set ASKDB_SIDECAR_CACHE to a folder askdb may write to`;
  return new SidecarCacheError(
    `cannot unpack askdb's runtime into ${root}: ${(cause as Error).message}`,
    hint,
  );
}

/**
 * A child forked with `process.execPath` and a script (askdb's query processes, node-llama-cpp's
 * binary test) starts this binary again: it runs that script, as `node script` would, when the
 * script is part of the runtime. Node options before it (`--max-old-space-size=512`) reach a single
 * executable as plain arguments and are passed over: the query process's memory watch still applies.
 * askdb's own first argument is a command or an option, never a path to a script.
 */
export function forkedScript(argv: string[], root: string): { script: string; args: string[] } | undefined {
  const at = argv.findIndex((arg, index) => index >= 2 && !arg.startsWith("-"));
  const script = argv[at];
  if (at < 0 || !isAbsolute(script) || !/\.[cm]?js$/.test(script)) return undefined;
  return script.startsWith(`${root}${sep}`) && existsSync(script)
    ? { script, args: argv.slice(at + 1) }
    : undefined;
}

function run(root: string, script: string, args: string[]): Promise<unknown> {
  process.argv = [process.execPath, script, ...args];
  const importer = createRequire(join(root, IMPORTER))(join(root, IMPORTER)) as (
    url: string,
  ) => Promise<unknown>;
  return importer(pathToFileURL(script).href);
}

async function main(): Promise<void> {
  const meta = JSON.parse(getAsset(META_ASSET, "utf8")) as RuntimeMeta;
  const root = ensureRuntime(
    meta,
    () => new Uint8Array(getRawAsset(PAYLOAD_ASSET) as ArrayBuffer),
    sidecarCacheBase(),
  );
  const forked = forkedScript(process.argv, root);
  if (forked) await run(root, forked.script, forked.args);
  else await run(root, join(root, meta.main), process.argv.slice(2));
}

function fail(error: unknown): void {
  const hint = error instanceof SidecarCacheError ? `\n  ${error.hint}` : "";
  process.stderr.write(`error: ${(error as Error).message}${hint}\n`);
  process.exitCode = 1;
}

if (isSea()) void main().catch(fail);
