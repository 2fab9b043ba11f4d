import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskDbError } from "../errors/index.js";
import { resolveModelSpec } from "./index.js";
import { missingTestModels, rejectionOf, TEST_MODELS } from "./testing/fixtures.js";
import { startFileServer, type FileServer } from "./testing/file-server.js";

const skip = missingTestModels();
if (skip) console.warn(`skipping resolve tests: ${skip}`);

const rejection = (promise: Promise<unknown>) => rejectionOf<AskDbError>(promise);

describe.skipIf(skip)("resolveModelSpec", () => {
  let hf: FileServer;
  let gated: FileServer;

  beforeAll(async () => {
    hf = await startFileServer({
      hfRepos: {
        "test-org/tiny-GGUF": {
          files: {
            [TEST_MODELS.tiny.fileName]: TEST_MODELS.tiny.path,
            "sub/stories260K.gguf": TEST_MODELS.stories.path,
          },
        },
        "second-state/All-MiniLM-L6-v2-Embedding-GGUF": {
          files: { "all-MiniLM-L6-v2-Q8_0.gguf": TEST_MODELS.stories.path },
        },
        // At the catalog's pinned revision, but not the bytes the catalog's sha256 names.
        "Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF": {
          revision: "f86cb2c1fa58255f8052cc32aeede1b7482d4361",
          files: { "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf": TEST_MODELS.stories.path },
        },
        "test-org/pinned-GGUF": {
          revision: "0123456789abcdef0123456789abcdef01234567",
          files: { "a.gguf": TEST_MODELS.tiny.path },
        },
      },
      redirects: { "/api/models/test-org/moved-GGUF/tree/main": "http://hub.example.com/tree.json" },
    });
    gated = await startFileServer({
      hfRepos: { "meta/gated": { files: { "m.gguf": TEST_MODELS.tiny.path } } },
      requireToken: "hf_secret",
    });
  });
  afterAll(async () => {
    await hf.close();
    await gated.close();
  });

  it("reads the exact size and sha256 (LFS oid) of an hf: file from the listing", async () => {
    const plan = await resolveModelSpec(`hf:test-org/tiny-GGUF/${TEST_MODELS.tiny.fileName}`, {
      hfBaseUrl: hf.url,
      hfToken: "",
    });
    expect(plan).toMatchObject({
      source: "hf",
      modelId: "llama-2-tiny-random",
      fileName: TEST_MODELS.tiny.fileName,
      sizeBytes: TEST_MODELS.tiny.sizeBytes,
      sha256: TEST_MODELS.tiny.sha256,
      url: `${hf.url}/test-org/tiny-GGUF/resolve/main/${TEST_MODELS.tiny.fileName}`,
      kind: "llm",
    });
    expect(hf.requests.some((r) => r.path === "/api/models/test-org/tiny-GGUF/tree/main")).toBe(true);
  });

  it("resolves files in a folder and at a pinned revision", async () => {
    const sub = await resolveModelSpec("hf:test-org/tiny-GGUF/sub/stories260K.gguf", { hfBaseUrl: hf.url });
    expect(sub.sha256).toBe(TEST_MODELS.stories.sha256);
    expect(hf.requests.some((r) => r.path === "/api/models/test-org/tiny-GGUF/tree/main/sub")).toBe(true);
    const pinned = await resolveModelSpec(
      "hf:test-org/pinned-GGUF@0123456789abcdef0123456789abcdef01234567/a.gguf",
      { hfBaseUrl: hf.url },
    );
    expect(pinned.url).toContain("/resolve/0123456789abcdef0123456789abcdef01234567/a.gguf");
  });

  it("resolves a catalog id through its Hugging Face repository and revision", async () => {
    const plan = await resolveModelSpec("all-minilm-l6-v2", { hfBaseUrl: hf.url });
    expect(plan).toMatchObject({
      source: "catalog",
      modelId: "all-minilm-l6-v2",
      sourceRef: "all-minilm-l6-v2",
      sha256: TEST_MODELS.stories.sha256,
      kind: "embedding",
    });
    // The catalog pins this one's sha256: a listing that disagrees is refused before any download.
    const changed = await rejection(resolveModelSpec("qwen2.5-coder-1.5b", { hfBaseUrl: hf.url }));
    expect(changed.code).toBe("INTEGRITY_FAILED");
    expect(
      hf.requests.some(
        (r) =>
          r.path ===
          "/api/models/Qwen/Qwen2.5-Coder-1.5B-Instruct-GGUF/tree/f86cb2c1fa58255f8052cc32aeede1b7482d4361",
      ),
    ).toBe(true);
  });

  it("sends HF_TOKEN and explains a refusal", async () => {
    const denied = await rejection(
      resolveModelSpec("hf:meta/gated/m.gguf", { hfBaseUrl: gated.url, hfToken: "" }),
    );
    expect(denied.code).toBe("UNAUTHORIZED");
    expect(denied.hint).toContain("HF_TOKEN");
    const plan = await resolveModelSpec("hf:meta/gated/m.gguf", {
      hfBaseUrl: gated.url,
      hfToken: "hf_secret",
    });
    expect(plan.headers.authorization).toBe("Bearer hf_secret");
  });

  it("names the GGUF files that exist when the file does not", async () => {
    const error = await rejection(
      resolveModelSpec("hf:test-org/tiny-GGUF/missing.gguf", { hfBaseUrl: hf.url }),
    );
    expect(error.code).toBe("NOT_FOUND");
    expect(error.hint).toContain(TEST_MODELS.tiny.fileName);
    expect((await rejection(resolveModelSpec("hf:nobody/nothing/x.gguf", { hfBaseUrl: hf.url }))).code).toBe(
      "NOT_FOUND",
    );
  });

  it("accepts a URL with an expected sha256 and rejects bad input clearly", async () => {
    const plan = await resolveModelSpec("https://example.com/models/My%20Model.Q4_K_M.gguf", {
      sha256: TEST_MODELS.tiny.sha256.toUpperCase(),
    });
    expect(plan).toMatchObject({
      source: "url",
      fileName: "My Model.Q4_K_M.gguf",
      modelId: "my-model.q4_k_m",
      sha256: TEST_MODELS.tiny.sha256,
      sizeBytes: null,
    });
    expect((await rejection(resolveModelSpec("https://example.com/a.gguf", { sha256: "abc" }))).code).toBe(
      "INVALID_INPUT",
    );
    expect((await rejection(resolveModelSpec("hf:only-owner"))).code).toBe("INVALID_INPUT");
    expect((await rejection(resolveModelSpec("no-such-model"))).code).toBe("NOT_FOUND");
    expect((await rejection(resolveModelSpec("  "))).code).toBe("INVALID_INPUT");
  });

  it("downloads over https only, except from this machine's own addresses", async () => {
    for (const url of [
      "http://example.com/m.gguf",
      "http://10.0.0.8/m.gguf",
      "http://127.0.0.1.evil.example/m.gguf",
    ]) {
      const error = await rejection(resolveModelSpec(url));
      expect(error.code, url).toBe("INVALID_INPUT");
      expect(error.message).toMatch(/https only/);
    }
    for (const url of ["http://127.0.0.1:9/m.gguf", "http://localhost/m.gguf", "http://[::1]:8/m.gguf"]) {
      expect((await resolveModelSpec(url)).url, url).toBe(url);
    }
  });

  it("does not follow a look-up redirected to plain http off this machine", async () => {
    const error = await rejection(resolveModelSpec("hf:test-org/moved-GGUF/m.gguf", { hfBaseUrl: hf.url }));
    expect(error.code).toBe("DOWNLOAD_FAILED");
    expect(error.message).toContain("redirected to http://hub.example.com/tree.json");
  });

  it("refuses a --sha256 that disagrees with the listing", async () => {
    const error = await rejection(
      resolveModelSpec(`hf:test-org/tiny-GGUF/${TEST_MODELS.tiny.fileName}`, {
        hfBaseUrl: hf.url,
        sha256: TEST_MODELS.stories.sha256,
      }),
    );
    expect(error.code).toBe("INTEGRITY_FAILED");
  });

  it("reports an unreachable host as a network problem", async () => {
    const closed = await startFileServer();
    await closed.close();
    const error = await rejection(resolveModelSpec("hf:a/b/c.gguf", { hfBaseUrl: closed.url }));
    expect(error.code).toBe("NETWORK");
    expect(error.hint).toMatch(/connection/);
  });
});
