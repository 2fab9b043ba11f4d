/**
 * Builds askdb's one-file sidecar binary for this machine: Node's single executable application
 * (this Node's own binary, with a blob injected by postject) whose main script is
 * src/sidecar/launcher.ts and whose assets are askdb's runtime (see the launcher for how it is
 * unpacked and checked).
 */
import { execFileSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join, relative, resolve } from "node:path";
import { gzipSync } from "node:zlib";
import ts from "typescript";
import {
  isNativeFile,
  META_ASSET,
  PAYLOAD_ASSET,
  sha256,
  type RuntimeFile,
  type RuntimeMeta,
} from "../../src/sidecar/launcher.js";

/** Tauri names a sidecar `<name>-<target triple>`; the build is for the machine it runs on. */
export const TARGET_TRIPLES: Record<string, string> = {
  "linux-x64": "x86_64-unknown-linux-gnu",
  "linux-arm64": "aarch64-unknown-linux-gnu",
  "darwin-x64": "x86_64-apple-darwin",
  "darwin-arm64": "aarch64-apple-darwin",
  "win32-x64": "x86_64-pc-windows-msvc",
};

/** The fuse Node's single-executable support looks for (Node's documentation gives it). */
const SEA_FUSE = "NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2";
const REPO_ROOT = resolve(import.meta.dirname, "../..");
/** askdb's own files the binary runs (what `npm pack` ships, less the docs). */
const PACKAGE_PARTS = ["package.json", "bin", "dist", "prompts", "demo", "web/dist"];
/**
 * Not needed at run time: llama.cpp's sources (askdb never builds it), node-llama-cpp's optional
 * TypeScript peer, better-sqlite3's sources and build leftovers, type declarations, source maps.
 */
const EXCLUDED = [
  /^node_modules\/node-llama-cpp\/llama\/gitRelease\.bundle$/,
  /^node_modules\/typescript\//,
  /^node_modules\/better-sqlite3\/(deps|src)\//,
  /^node_modules\/better-sqlite3\/build\/(?!Release\/better_sqlite3\.node$)/,
  /^dist\/sidecar\//,
  /\.d\.[cm]?ts$/,
  /\.map$/,
];

export interface SidecarBuild {
  binary: string;
  sizeBytes: number;
  runtimeFiles: number;
  runtimeBytes: number;
}

export function targetTriple(platform = process.platform, arch = process.arch): string {
  const triple = TARGET_TRIPLES[`${platform}-${arch}`];
  if (!triple) {
    throw new Error(
      `no sidecar target for ${platform}-${arch}; askdb builds one for ${Object.keys(TARGET_TRIPLES).join(", ")}`,
    );
  }
  return triple;
}

export function buildSidecar(outDir: string, log: (line: string) => void = () => {}): SidecarBuild {
  assertBuilt();
  const work = join(outDir, ".work");
  mkdirSync(work, { recursive: true });
  const { meta, payload } = packRuntime(runtimeFiles());
  log(`runtime: ${meta.files.length} files, ${mb(payload.length)} compressed`);
  writeFileSync(join(work, META_ASSET), JSON.stringify(meta));
  writeFileSync(join(work, PAYLOAD_ASSET), payload);
  writeFileSync(join(work, "launcher.cjs"), launcherScript());
  const blob = seaBlob(work);
  const binary = join(outDir, `askdb-${targetTriple()}${process.platform === "win32" ? ".exe" : ""}`);
  injectBlob(binary, blob);
  const sizeBytes = statSync(binary).size;
  log(`${binary}: ${mb(sizeBytes)}`);
  return { binary, sizeBytes, runtimeFiles: meta.files.length, runtimeBytes: payload.length };
}

function assertBuilt(): void {
  for (const entry of ["dist/cli/main.js", "web/dist/index.html"]) {
    if (!existsSync(join(REPO_ROOT, entry)))
      throw new Error(`${entry} is missing: run \`npm run build\` first (npm run build:sidecar does)`);
  }
}

/** askdb's files plus the production dependencies with this platform's CPU build of llama.cpp. */
function runtimeFiles(): string[] {
  const roots = [...PACKAGE_PARTS, ...productionPackages()];
  const files = new Set(roots.flatMap((root) => filesUnder(join(REPO_ROOT, root))));
  return [...files]
    .map((path) => relative(REPO_ROOT, path))
    .filter((path) => !EXCLUDED.some((pattern) => pattern.test(path)))
    .sort();
}

function productionPackages(): string[] {
  const listing = execFileSync("npm", ["ls", "--omit=dev", "--all", "--parseable"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  return listing
    .split("\n")
    .map((line) => relative(REPO_ROOT, line.trim()))
    .filter((path) => path.startsWith("node_modules/") && isWantedLlamaBinary(path));
}

/** Of node-llama-cpp's prebuilt binaries, the CPU one of this platform: GPU ones stay optional downloads. */
function isWantedLlamaBinary(path: string): boolean {
  const match = /^node_modules\/@node-llama-cpp\/([^/]+)$/.exec(path);
  if (!match) return true;
  const platform = { darwin: "mac", win32: "win" }[process.platform as string] ?? process.platform;
  return [`${platform}-${process.arch}`, `${platform}-${process.arch}-metal`].includes(match[1]);
}

/** Every file below a folder (or the file itself); nested node_modules are packages of their own. */
function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isSymbolicLink() || entry.name === "node_modules") return [];
    return filesUnder(join(path, entry.name));
  });
}

function packRuntime(paths: string[]): { meta: RuntimeMeta; payload: Buffer } {
  const files: RuntimeFile[] = [];
  const contents: Buffer[] = [];
  let offset = 0;
  for (const path of paths) {
    const absolute = join(REPO_ROOT, path);
    const bytes = readFileSync(absolute);
    files.push({
      path,
      offset,
      size: bytes.length,
      sha256: sha256(bytes),
      executable: (statSync(absolute).mode & 0o111) !== 0,
      native: isNativeFile(path),
    });
    contents.push(bytes);
    offset += bytes.length;
  }
  const unpacked = Buffer.concat(contents);
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
    version: string;
  };
  return {
    meta: { version, hash: sha256(unpacked), main: "dist/cli/main.js", files },
    payload: gzipSync(unpacked, { level: 6 }),
  };
}

/** The launcher as the one CommonJS script a single executable application runs. */
function launcherScript(): string {
  const source = readFileSync(join(REPO_ROOT, "src/sidecar/launcher.ts"), "utf8");
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
}

function seaBlob(work: string): string {
  const config = {
    main: join(work, "launcher.cjs"),
    output: join(work, "sea-prep.blob"),
    disableExperimentalSEAWarning: true,
    assets: { [META_ASSET]: join(work, META_ASSET), [PAYLOAD_ASSET]: join(work, PAYLOAD_ASSET) },
  };
  writeFileSync(join(work, "sea-config.json"), JSON.stringify(config));
  execFileSync(process.execPath, ["--experimental-sea-config", join(work, "sea-config.json")], {
    stdio: "ignore",
  });
  return config.output;
}

/** This Node's binary with the blob injected (macOS also wants the segment named; it must be re-signed after). */
function injectBlob(binary: string, blob: string): void {
  copyFileSync(process.execPath, binary);
  const postject = join(REPO_ROOT, "node_modules", ".bin", "postject");
  const macho = process.platform === "darwin" ? ["--macho-segment-name", "NODE_SEA"] : [];
  execFileSync(postject, [binary, "NODE_SEA_BLOB", blob, "--sentinel-fuse", SEA_FUSE, ...macho], {
    stdio: "ignore",
  });
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
