import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AskDbError } from "../errors/index.js";
import { describeMemoryEstimate, estimateGgufMemory, readGgufSummary } from "./index.js";
import { missingTestModels, TEST_MODELS } from "./testing/fixtures.js";

const skip = missingTestModels();

describe.skipIf(skip)("GGUF header", () => {
  const dir = mkdtempSync(join(tmpdir(), "askdb-gguf-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function failure(path: string): Promise<AskDbError> {
    try {
      await readGgufSummary(path);
    } catch (error) {
      return error as AskDbError;
    }
    throw new Error("expected a failure");
  }

  it("summarizes the metadata a user needs", async () => {
    expect(await readGgufSummary(TEST_MODELS.tiny.path)).toEqual({
      version: 3,
      tensorCount: 12,
      architecture: "llama",
      name: expect.any(String),
      parameterCount: 513_048,
      quantization: expect.stringMatching(/F16/),
      contextLength: 4096,
      embeddingLength: 8,
      hasChatTemplate: false,
      isEmbeddingModel: false,
    });
  });

  it("rejects a file that is not GGUF, and a truncated one", async () => {
    const text = join(dir, "model.gguf");
    writeFileSync(text, "this is not a model");
    expect((await failure(text)).code).toBe("MODEL_INVALID");
    const truncated = join(dir, "truncated.gguf");
    writeFileSync(truncated, readFileSync(TEST_MODELS.stories.path).subarray(0, 4000));
    const error = await failure(truncated);
    expect(error.code).toBe("MODEL_INVALID");
    expect(error.message).toContain("truncated");
    expect(error.hint).toContain("pull it again");
    expect((await failure(join(dir, "absent.gguf"))).code).toBe("NOT_FOUND");
  });

  it("estimates memory and whether it fits", async () => {
    const roomy = await estimateGgufMemory(TEST_MODELS.stories.path, {
      contextSize: 2048,
      freeRamBytes: 8e9,
    });
    expect(roomy.fits).toBe(true);
    expect(roomy.totalBytes).toBe(roomy.modelBytes + roomy.contextBytes);
    expect(describeMemoryEstimate(roomy)).toContain("fits");
    const tight = await estimateGgufMemory(TEST_MODELS.stories.path, {
      contextSize: 2048,
      freeRamBytes: 1000,
    });
    expect(tight.fits).toBe(false);
  });
});
