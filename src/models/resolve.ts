import { basename } from "node:path";
import { request } from "undici";
import { AskDbError } from "../errors/index.js";
import { findCatalogEntry, type ModelKind } from "./catalog.js";
import { modelDispatcher } from "./http.js";
import { assertSecureModelUrl } from "./secure-url.js";

export const DEFAULT_HF_BASE_URL = "https://huggingface.co";

/** Everything a download needs: where the bytes are, how many, and what their sha256 must be. */
export interface ResolvedModel {
  /** The id the model is registered under once installed. */
  modelId: string;
  name: string;
  kind: ModelKind;
  source: "catalog" | "hf" | "url";
  /** What the user asked for (catalog id, hf: spec or URL): pulling it again resumes. */
  sourceRef: string;
  url: string;
  fileName: string;
  sizeBytes: number | null;
  sha256: string | null;
  /** Sent with the download request (Authorization for Hugging Face). */
  headers: Record<string, string>;
}

export interface ResolveOptions {
  hfToken?: string;
  hfBaseUrl?: string;
  /** Expected sha256 the user gave (`--sha256`); checked against what the source says. */
  sha256?: string;
  signal?: AbortSignal;
}

interface HfSpec {
  repo: string;
  revision: string;
  path: string;
}

interface HfTreeEntry {
  type: string;
  path: string;
  size?: number;
  oid?: string;
  lfs?: { oid: string; size: number };
}

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** Turns a catalog id, `hf:<owner>/<repo>[@revision]/<file>` or an http(s) URL into a download plan. */
export async function resolveModelSpec(spec: string, options: ResolveOptions = {}): Promise<ResolvedModel> {
  const trimmed = spec.trim();
  const expected = normalizeSha256(options.sha256);
  if (!trimmed)
    throw new AskDbError("INVALID_INPUT", "no model given", {
      hint: "name a catalog id (see `askdb models list`), hf:<owner>/<repo>/<file.gguf> or an https:// URL",
    });
  if (isUrlModelSpec(trimmed)) return resolveUrl(trimmed, expected);
  if (trimmed.startsWith("hf:")) {
    const resolved = await resolveHf(parseHfSpec(trimmed), options);
    return { ...resolved, sourceRef: trimmed, sha256: reconcileSha256(resolved.sha256, expected, trimmed) };
  }
  const entry = findCatalogEntry(trimmed);
  if (!entry) {
    throw new AskDbError("NOT_FOUND", `"${trimmed}" is not a catalog id, an hf: spec or a URL`, {
      hint: "run `askdb models list` for the catalog, or pull hf:<owner>/<repo>/<file.gguf> or an https:// URL",
    });
  }
  const resolved = await resolveHf(
    { repo: entry.hfRepo, revision: entry.revision, path: entry.fileName },
    options,
  );
  const sha256 = reconcileSha256(
    reconcileSha256(resolved.sha256, entry.sha256, entry.id),
    expected,
    entry.id,
  );
  return {
    ...resolved,
    modelId: entry.id,
    name: entry.name,
    kind: entry.kind,
    source: "catalog",
    sourceRef: entry.id,
    sha256,
  };
}

/** `http://…` or `https://…`: a file at an address the caller chose, not the catalog or Hugging Face. */
export function isUrlModelSpec(spec: string): boolean {
  return /^https?:\/\//i.test(spec.trim());
}

export function parseHfSpec(spec: string): HfSpec {
  const match = /^hf:([^/@\s]+)\/([^/@\s]+)(?:@([^/\s]+))?\/(.+)$/.exec(spec.trim());
  if (
    !match ||
    match[4].endsWith("/") ||
    hasTraversal([match[1], match[2], match[3] ?? "", ...match[4].split("/")])
  ) {
    throw new AskDbError("INVALID_INPUT", `cannot read "${spec}" as a Hugging Face file`, {
      hint: "write it as hf:<owner>/<repo>/<file.gguf>, e.g. hf:Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf (add @<revision> after the repo to pin one)",
    });
  }
  return { repo: `${match[1]}/${match[2]}`, revision: match[3] ?? "main", path: match[4] };
}

async function resolveHf(spec: HfSpec, options: ResolveOptions): Promise<ResolvedModel> {
  const baseUrl = (options.hfBaseUrl ?? process.env.ASKDB_HF_BASE_URL ?? DEFAULT_HF_BASE_URL).replace(
    /\/+$/,
    "",
  );
  const token = options.hfToken ?? process.env.HF_TOKEN;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const entry = await findHfFile(baseUrl, spec, headers, options.signal);
  const fileName = basename(spec.path);
  return {
    modelId: modelIdFromFileName(fileName),
    name: fileName.replace(/\.gguf$/i, ""),
    kind: guessKind(fileName),
    source: "hf",
    sourceRef: `hf:${spec.repo}/${spec.path}`,
    url: `${baseUrl}/${spec.repo}/resolve/${encodeURIComponent(spec.revision)}/${spec.path.split("/").map(encodeURIComponent).join("/")}`,
    fileName,
    sizeBytes: entry.lfs?.size ?? entry.size ?? null,
    // The LFS object id is the sha256 of the file's content; a non-LFS oid is a git blob hash, not usable.
    sha256: entry.lfs?.oid ?? null,
    headers,
  };
}

async function findHfFile(
  baseUrl: string,
  spec: HfSpec,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<HfTreeEntry> {
  const directory = spec.path.includes("/") ? spec.path.slice(0, spec.path.lastIndexOf("/")) : "";
  const listingUrl = `${baseUrl}/api/models/${spec.repo}/tree/${encodeURIComponent(spec.revision)}${directory ? `/${directory}` : ""}`;
  const entries = await fetchJson<HfTreeEntry[]>(listingUrl, headers, spec, signal);
  const entry = Array.isArray(entries)
    ? entries.find((item) => item.type === "file" && item.path === spec.path)
    : undefined;
  if (!entry) {
    const ggufs = (Array.isArray(entries) ? entries : [])
      .filter((item) => item.path.endsWith(".gguf"))
      .map((item) => item.path);
    throw new AskDbError("NOT_FOUND", `${spec.repo}@${spec.revision} has no file "${spec.path}"`, {
      hint: ggufs.length
        ? `GGUF files there: ${ggufs.slice(0, 8).join(", ")}${ggufs.length > 8 ? ", …" : ""}`
        : "check the repository and file name on huggingface.co",
    });
  }
  return entry;
}

async function fetchJson<T>(
  url: string,
  headers: Record<string, string>,
  spec: HfSpec,
  signal?: AbortSignal,
): Promise<T> {
  let response;
  try {
    response = await request(url, {
      headers: { accept: "application/json", ...headers },
      dispatcher: modelDispatcher(),
      signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError" || error instanceof AskDbError) throw error;
    throw new AskDbError(
      "NETWORK",
      `cannot reach ${new URL(url).host} to look up ${spec.repo}: ${(error as Error).message}`,
      {
        hint: "check your internet connection (or proxy), then try again",
        cause: error,
      },
    );
  }
  if (response.statusCode === 401 || response.statusCode === 403) {
    await response.body.dump();
    throw new AskDbError(
      "UNAUTHORIZED",
      `Hugging Face refused access to ${spec.repo} (HTTP ${response.statusCode})`,
      {
        hint: "the repository may be gated or private: accept its license on huggingface.co and set HF_TOKEN to an access token",
      },
    );
  }
  if (response.statusCode === 404) {
    await response.body.dump();
    throw new AskDbError(
      "NOT_FOUND",
      `Hugging Face has no repository ${spec.repo} at revision ${spec.revision}`,
      {
        hint: "check the owner/repo spelling (it is case-sensitive) and the revision",
      },
    );
  }
  if (response.statusCode >= 400) {
    await response.body.dump();
    throw new AskDbError("NETWORK", `Hugging Face answered HTTP ${response.statusCode} for ${spec.repo}`, {
      hint: "try again in a moment",
    });
  }
  return (await response.body.json()) as T;
}

function resolveUrl(url: string, sha256: string | null): ResolvedModel {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AskDbError("INVALID_INPUT", `"${url}" is not a valid URL`, {
      hint: "give a full https:// URL to a .gguf file",
    });
  }
  assertSecureModelUrl(parsed);
  const fileName = decodedFileName(parsed.pathname);
  if (!fileName || fileName.includes("/") || hasTraversal([fileName])) {
    throw new AskDbError("INVALID_INPUT", `the URL ${url} does not name a file`, {
      hint: "give the URL of the .gguf file itself",
    });
  }
  return {
    modelId: modelIdFromFileName(fileName),
    name: fileName.replace(/\.gguf$/i, ""),
    kind: guessKind(fileName),
    source: "url",
    sourceRef: url,
    url,
    fileName,
    sizeBytes: null,
    sha256,
    headers: {},
  };
}

function normalizeSha256(value: string | undefined): string | null {
  if (value === undefined || value === "") return null;
  const normalized = value
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, "");
  if (!SHA256_PATTERN.test(normalized)) {
    throw new AskDbError("INVALID_INPUT", `"${value}" is not a sha256 (64 hexadecimal characters)`, {
      hint: "copy the SHA256 shown on the model's download page, or leave --sha256 out",
    });
  }
  return normalized;
}

/** Two known hashes must agree: a disagreement means the file changed upstream or the input is wrong. */
function reconcileSha256(fromSource: string | null, expected: string | null, label: string): string | null {
  if (fromSource && expected && fromSource !== expected) {
    throw new AskDbError(
      "INTEGRITY_FAILED",
      `the sha256 given for ${label} (${expected}) differs from the source's (${fromSource})`,
      {
        hint: "the file changed upstream or the hash is wrong; check it, or pull without --sha256 to trust the source's listing",
      },
    );
  }
  return fromSource ?? expected;
}

/** The URL's last path segment, decoded; undefined when its %-escapes are malformed. */
function decodedFileName(pathname: string): string | undefined {
  try {
    return decodeURIComponent(basename(pathname));
  } catch {
    return undefined;
  }
}

/** "." / ".." segments or backslashes would name a file or a hub path outside the intended one. */
function hasTraversal(segments: string[]): boolean {
  return segments.some((segment) => segment === "." || segment === ".." || segment.includes("\\"));
}

export function modelIdFromFileName(fileName: string): string {
  const id = fileName
    .replace(/\.gguf$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return id || "model";
}

function guessKind(fileName: string): ModelKind {
  return /embed|bge-|minilm|e5-|gte-/i.test(fileName) ? "embedding" : "llm";
}
