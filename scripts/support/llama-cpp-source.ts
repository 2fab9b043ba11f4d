/**
 * The llama.cpp source that node-llama-cpp ships inside its package (a git bundle of the release it
 * was built from), so tools that need llama.cpp's own files never reach GitHub.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { AskDbError } from "../../src/errors/index.js";

export interface LlamaCppSource {
  bundle: string;
  tag: string;
}

/** node-llama-cpp's folder, found as Node finds packages (its exports hide package.json from require.resolve). */
function nodeLlamaCppRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", "node-llama-cpp");
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir)
      throw new AskDbError("NOT_FOUND", "node-llama-cpp is not installed", {
        hint: "run `npm install` in the askdb folder",
      });
  }
}

export function llamaCppSource(): LlamaCppSource {
  const root = nodeLlamaCppRoot();
  const bundle = join(root, "llama", "gitRelease.bundle");
  const info = join(root, "llama", "llama.cpp.info.json");
  if (!existsSync(bundle) || !existsSync(info)) {
    throw new AskDbError("NOT_FOUND", `node-llama-cpp ships no llama.cpp source here (${bundle})`, {
      hint: "reinstall node-llama-cpp (`npm install`)",
    });
  }
  return { bundle, tag: (JSON.parse(readFileSync(info, "utf8")) as { tag: string }).tag };
}

/**
 * One file of the bundled llama.cpp tree (e.g. `models/ggml-vocab-qwen2.gguf`), read through a bare
 * clone kept in `cacheDir` so that later reads cost a `git show`.
 */
export function readLlamaCppFile(relativePath: string, cacheDir: string): Buffer {
  const { bundle, tag } = llamaCppSource();
  const repository = join(cacheDir, `llama.cpp-${tag}.git`);
  try {
    if (!existsSync(join(repository, "HEAD")))
      execFileSync("git", ["clone", "--quiet", "--bare", bundle, repository], { stdio: "pipe" });
    return execFileSync("git", ["--git-dir", repository, "show", `HEAD:${relativePath}`], {
      maxBuffer: 1 << 30,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    throw new AskDbError(
      "NOT_FOUND",
      `could not read ${relativePath} from node-llama-cpp's llama.cpp ${tag}`,
      {
        hint: "install git (`apt-get install git`); it reads the llama.cpp bundle inside node-llama-cpp",
        cause: error,
      },
    );
  }
}
