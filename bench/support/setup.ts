import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAskDb } from "../../src/app/index.js";
import type { BenchContext } from "./types.js";

/** askdb's data dir with the demo database built and trained, made once in the cache. */
export async function demoHome(context: BenchContext): Promise<string> {
  const home = join(context.cacheDir, "demo-home");
  if (!existsSync(join(home, "demo", "inventory.sqlite"))) {
    context.log("building the demo database and its training (once)…");
    rmSync(home, { recursive: true, force: true });
    const askdb = await createAskDb({ dataDir: home, env: {} });
    await askdb.close();
  }
  return home;
}

/** A throw-away copy of the demo data dir: runs never see each other's history or cached answers. */
export async function freshDemoHome(context: BenchContext): Promise<{ dir: string; dispose(): void }> {
  const source = await demoHome(context);
  const dir = mkdtempSync(join(tmpdir(), "askdb-bench-home-"));
  cpSync(source, dir, { recursive: true });
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `bin/askdb.js` runs the compiled dist/: rebuild it when any source file is newer. */
export function ensureBuilt(context: BenchContext): void {
  const entry = join(context.repoRoot, "dist", "cli", "main.js");
  if (existsSync(entry) && newestMtime(join(context.repoRoot, "src")) <= statSync(entry).mtimeMs) return;
  context.log("compiling dist/ (npm run build:lib)…");
  try {
    execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { cwd: context.repoRoot, stdio: "ignore" });
  } catch {
    // tsc still emits when some file has a type error; the entry point is what matters.
  }
  if (!existsSync(entry)) throw new Error("dist/cli/main.js is missing after `npm run build:lib`");
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function scratchDir(prefix: string): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), `askdb-bench-${prefix}-`));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
