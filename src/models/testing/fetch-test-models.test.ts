import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchTestModels } from "./fetch-test-models.js";
import { startFileServer, type FileServer } from "./file-server.js";
import { rejectionOf } from "./fixtures.js";

const content = randomBytes(300_000);
let server: FileServer;
let dir: string;
const model = () => ({
  fileName: "tiny.gguf",
  sizeBytes: content.length,
  sha256: createHash("sha256").update(content).digest("hex"),
  origin: `${server.url}/pinned/tiny.gguf`,
});

beforeAll(async () => {
  server = await startFileServer({ files: { "/pinned/tiny.gguf": content } });
  dir = mkdtempSync(join(tmpdir(), "askdb-test-models-"));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("fetchTestModels", () => {
  it("keeps a download whose sha256 is the pinned one, and does not download it again", async () => {
    expect(await fetchTestModels(dir, [model()])).toEqual({ "tiny.gguf": "downloaded" });
    expect(readFileSync(join(dir, "tiny.gguf")).equals(content)).toBe(true);
    const requests = server.requests.length;
    expect(await fetchTestModels(dir, [model()])).toEqual({ "tiny.gguf": "kept" });
    expect(server.requests.length).toBe(requests);
  });

  it("refuses a file whose sha256 differs and leaves nothing behind", async () => {
    rmSync(join(dir, "tiny.gguf"));
    server.setFault("tiny.gguf", { kind: "corrupt" });
    const error = await rejectionOf<{ code: string; message: string }>(fetchTestModels(dir, [model()]));
    expect(error).toMatchObject({
      code: "INTEGRITY_FAILED",
      message: expect.stringContaining("not the pinned"),
    });
    expect(readdirSync(dir)).toEqual([]);
    server.setFault("tiny.gguf", undefined);
  });

  it("names the script in the hint when the origin cannot be reached", async () => {
    const error = await rejectionOf<{ hint: string }>(
      fetchTestModels(dir, [{ ...model(), origin: `${server.url}/missing.gguf` }]),
    );
    expect(error.hint).toContain("npm run fetch:test-models");
    expect(existsSync(join(dir, "tiny.gguf"))).toBe(false);
  });
});
