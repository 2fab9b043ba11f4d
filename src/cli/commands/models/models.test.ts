import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFileServer, type FileServer } from "../../../models/testing/index.js";
import { missingTestModels, TEST_MODELS } from "../../../models/testing/index.js";

const run = promisify(execFile);
const repoRoot = resolve(import.meta.dirname, "../../../..");
const dir = mkdtempSync(join(tmpdir(), "askdb-cli-models-"));
const skip = missingTestModels();

describe.skipIf(skip)("askdb models", () => {
  let server: FileServer;

  async function askdb(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ["--import", "tsx", "src/cli/main.ts", "--data-dir", join(dir, "data"), ...args],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            NO_COLOR: "1",
            ASKDB_HF_BASE_URL: server.url,
            HF_TOKEN: "",
            ASKDB_MODELS_DIR: "",
          },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  beforeAll(async () => {
    server = await startFileServer({
      files: { "/files/stories.gguf": TEST_MODELS.stories.path },
      hfRepos: {
        "second-state/All-MiniLM-L6-v2-Embedding-GGUF": {
          files: { "all-MiniLM-L6-v2-Q8_0.gguf": TEST_MODELS.tiny.path },
        },
      },
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists the catalog as JSON, filtered", async () => {
    const { code, stdout } = await askdb("models", "list", "--json", "--tag", "embedding");
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as { catalog: Array<{ kind: string }>; installed: unknown[] };
    expect(listed.catalog.length).toBeGreaterThanOrEqual(2);
    expect(listed.catalog.every((entry) => entry.kind === "embedding")).toBe(true);
    expect(listed.installed).toEqual([]);
  });

  it("pulls a catalog model, shows it, and removes it", async () => {
    const pulled = await askdb("models", "pull", "all-minilm-l6-v2");
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain("all-minilm-l6-v2 installed and verified");
    expect(pulled.stdout).toContain(TEST_MODELS.tiny.sha256);

    const info = await askdb("models", "info", "all-minilm-l6-v2", "--json", "--context-size", "1024");
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({
      model: { id: "all-minilm-l6-v2", kind: "embedding", active: true },
      gguf: { architecture: "llama" },
      memory: { contextSize: 1024, fits: true },
    });

    const removed = await askdb("models", "rm", "all-minilm-l6-v2");
    expect(removed.code).toBe(0);
    expect(existsSync(join(dir, "data", "models", "all-MiniLM-L6-v2-Q8_0.gguf"))).toBe(false);
  });

  it("explains bad input and a wrong hash, and exits non-zero", async () => {
    const wrongHash = await askdb(
      "models",
      "pull",
      `${server.url}/files/stories.gguf`,
      "--sha256",
      TEST_MODELS.tiny.sha256,
    );
    expect(wrongHash.code).toBe(1);
    expect(wrongHash.stderr).toContain("failed its checksum");
    expect(wrongHash.stderr).toContain("askdb models pull");

    const unknown = await askdb("models", "use", "no-such-model", "--json");
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ error: { code: "NOT_FOUND" } });

    const badSize = await askdb("models", "info", "x", "--context-size", "lots");
    expect(badSize.code).not.toBe(0);
    expect(badSize.stderr).toContain("positive whole number");
  });
});
