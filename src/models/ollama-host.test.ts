import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AskDbError } from "../errors/index.js";
import { createOllamaClient, type OllamaPullProgress } from "./index.js";

/** Answers like an Ollama host: /api/version, /api/tags and a streamed /api/pull (NDJSON). */
async function startOllamaLikeServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url === "/api/version") return void res.end(JSON.stringify({ version: "0.6.2" }));
    if (req.url === "/api/tags") {
      return void res.end(
        JSON.stringify({
          models: [
            {
              name: "qwen2.5-coder:1.5b",
              model: "qwen2.5-coder:1.5b",
              modified_at: "2025-01-01T00:00:00Z",
              size: 986_061_892,
              digest: "6d3abb8d2d53",
              details: {
                format: "gguf",
                family: "qwen2",
                parameter_size: "1.5B",
                quantization_level: "Q4_K_M",
              },
            },
          ],
        }),
      );
    }
    if (req.url === "/api/pull") {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        const { model } = JSON.parse(body) as { model: string };
        res.writeHead(200, { "content-type": "application/x-ndjson" });
        if (model === "missing:latest") {
          res.end(
            `${JSON.stringify({ status: "pulling manifest" })}\n${JSON.stringify({ error: "pull model manifest: file does not exist" })}\n`,
          );
          return;
        }
        const lines = [
          { status: "pulling manifest" },
          { status: "pulling 6d3abb8d2d53", digest: "sha256:6d3abb8d2d53", total: 1000 },
          { status: "pulling 6d3abb8d2d53", digest: "sha256:6d3abb8d2d53", total: 1000, completed: 500 },
          { status: "pulling 6d3abb8d2d53", digest: "sha256:6d3abb8d2d53", total: 1000, completed: 1000 },
          { status: "verifying sha256 digest" },
          { status: "success" },
        ];
        // Split a line across writes, as a real stream may.
        const text = lines.map((line) => JSON.stringify(line)).join("\n");
        res.write(text.slice(0, 70));
        res.end(text.slice(70));
      });
      return;
    }
    res.writeHead(404).end(JSON.stringify({ error: "not found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe("Ollama client", () => {
  let url: string;
  let server: Server;
  beforeAll(async () => ({ url, server } = await startOllamaLikeServer()));
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("lists the host's models", async () => {
    const models = await createOllamaClient(url).listModels();
    expect(models).toEqual([
      {
        name: "qwen2.5-coder:1.5b",
        sizeBytes: 986_061_892,
        digest: "6d3abb8d2d53",
        modifiedAt: "2025-01-01T00:00:00Z",
        family: "qwen2",
        parameterSize: "1.5B",
        quantization: "Q4_K_M",
      },
    ]);
  });

  it("pulls with streamed progress", async () => {
    const progress: OllamaPullProgress[] = [];
    await createOllamaClient(url.replace("http://", "")).pull("qwen2.5-coder:1.5b", (p) => progress.push(p));
    expect(progress.map((p) => p.status)).toContain("success");
    expect(progress.find((p) => p.completedBytes === 500)).toMatchObject({ totalBytes: 1000, percent: 50 });
  });

  it("reports a pull error from the stream", async () => {
    try {
      await createOllamaClient(url).pull("missing:latest");
      expect.unreachable();
    } catch (error) {
      expect((error as AskDbError).code).toBe("DOWNLOAD_FAILED");
      expect((error as AskDbError).message).toContain("file does not exist");
    }
  });

  it("reports health, up and down", async () => {
    const up = await createOllamaClient(`${url}/`).health();
    expect(up).toMatchObject({ ok: true, version: "0.6.2" });
    expect(up.responseMs).toBeGreaterThanOrEqual(0);
    const down = await createOllamaClient("http://127.0.0.1:9").health();
    expect(down.ok).toBe(false);
    expect(down.error).toContain("cannot reach Ollama");
  });
});
