import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AskDbError } from "../errors/index.js";
import { createOllamaClient } from "../models/index.js";
import { createEngine, type EngineConfigInput } from "./index.js";
import {
  startOllamaTestServer,
  startOpenAiTestServer,
  type OllamaTestServer,
  type OpenAiTestServer,
} from "./testing/index.js";

async function caught(promise: Promise<unknown>): Promise<AskDbError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AskDbError);
    return error as AskDbError;
  }
  throw new Error("expected a rejection");
}

const fast = { retries: 2, retryBaseDelayMs: 1 } as const;

describe("Ollama backend (NDJSON)", () => {
  let ollama: OllamaTestServer;
  beforeAll(async () => {
    ollama = await startOllamaTestServer({ models: ["qwen2.5-coder:1.5b", "nomic-embed-text"] });
  });
  afterAll(() => ollama.close());
  const config = (): EngineConfigInput => ({
    backends: ["ollama"],
    ollama: { url: ollama.origin, model: "qwen2.5-coder:1.5b", embeddingModel: "nomic-embed-text" },
    keepAliveMs: 120_000,
    ...fast,
  });

  it("streams /api/chat and records backend, model and Ollama's counts", async () => {
    const engine = createEngine({ config: config() });
    const pieces: string[] = [];
    const result = await engine.chat([{ role: "user", content: "how many orders?" }], {
      onToken: (t) => pieces.push(t),
      maxTokens: 50,
      stop: ["\n"],
    });
    expect(result).toMatchObject({
      text: "You said: how many orders?",
      backend: "ollama",
      model: "qwen2.5-coder:1.5b",
      stopReason: "stop",
    });
    expect(pieces).toEqual(["You", " said:", " how", " many", " orders?"]);
    expect(result.generatedTokens).toBe(5);
    expect(result.promptTokens).toBeGreaterThan(0);
    const sent = ollama.requests.at(-1)?.body;
    expect(sent).toMatchObject({
      model: "qwen2.5-coder:1.5b",
      stream: true,
      keep_alive: "120s",
      options: { temperature: 0, num_predict: 50, stop: ["\n"] },
    });
  });

  it("streams /api/generate, embeds with /api/embed and lists /api/tags and /api/ps", async () => {
    const engine = createEngine({ config: config() });
    expect((await engine.complete("SELECT")).text).toBe("You said: SELECT");
    const embedded = await engine.embed(["a", "a", "b"]);
    expect(embedded).toMatchObject({ backend: "ollama", model: "nomic-embed-text", dimensions: 8 });
    expect(embedded.vectors[0]).toEqual(embedded.vectors[1]);
    const client = createOllamaClient(ollama.origin);
    expect((await client.listModels()).map((m) => m.name)).toContain("nomic-embed-text");
    expect((await client.runningModels()).map((m) => m.name)).toContain("qwen2.5-coder:1.5b");
  });

  it("loads and unloads through keep_alive", async () => {
    const engine = createEngine({ config: config() });
    await engine.load();
    expect(ollama.loaded.has("qwen2.5-coder:1.5b")).toBe(true);
    await engine.unload();
    expect(ollama.loaded.has("qwen2.5-coder:1.5b")).toBe(false);
    expect(ollama.requests.at(-1)?.body).toMatchObject({ model: "qwen2.5-coder:1.5b", keep_alive: 0 });
  });

  it("passes native tool calls through", async () => {
    const server = await startOllamaTestServer({
      reply: () => ({ toolCalls: [{ name: "list_tables", arguments: {} }] }),
    });
    try {
      const engine = createEngine({
        config: { ...config(), ollama: { url: server.origin, model: "qwen2.5-coder:1.5b" } },
      });
      const tools = [
        { name: "list_tables", description: "List tables", parameters: { type: "object", properties: {} } },
      ];
      const result = await engine.chat([{ role: "user", content: "what tables?" }], { tools });
      expect(result.stopReason).toBe("toolCall");
      expect(result.toolCalls).toEqual([expect.objectContaining({ name: "list_tables", arguments: {} })]);
      expect(server.requests.at(-1)?.body?.tools).toEqual([{ type: "function", function: tools[0] }]);
    } finally {
      await server.close();
    }
  });

  it("refuses a GBNF grammar (Ollama has none) and a model it does not have", async () => {
    const engine = createEngine({ config: config() });
    expect((await caught(engine.complete("x", { grammar: 'root ::= "a"' }))).code).toBe("UNPROCESSABLE");
    const missing = createEngine({ config: { ...config(), ollama: { url: ollama.origin, model: "nope" } } });
    const error = await caught(missing.complete("x"));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain('model "nope" not found');
  });
});

describe("OpenAI-compatible backend (SSE)", () => {
  let openai: OpenAiTestServer;
  beforeAll(async () => {
    process.env.ASKDB_TEST_OPENAI_KEY = "sk-test";
    openai = await startOpenAiTestServer({ apiKey: "sk-test" });
  });
  afterAll(() => openai.close());
  const config = (): EngineConfigInput => ({
    backends: ["openai"],
    openai: { url: openai.url, model: "test-model", apiKeyEnv: "ASKDB_TEST_OPENAI_KEY" },
    ...fast,
  });

  it("streams chat completions with the API key from the environment", async () => {
    const engine = createEngine({ config: config() });
    const pieces: string[] = [];
    const result = await engine.chat(
      [
        { role: "system", content: "be brief" },
        { role: "user", content: "top customers" },
      ],
      {
        onToken: (t) => pieces.push(t),
        jsonSchema: { type: "object" },
      },
    );
    expect(result).toMatchObject({
      text: "You said: top customers",
      backend: "openai",
      model: "test-model",
      stopReason: "stop",
    });
    expect(pieces.join("")).toBe(result.text);
    expect(result.generatedTokens).toBe(4);
    const request = openai.requests.at(-1);
    expect(request?.headers.authorization).toBe("Bearer sk-test");
    expect(request?.body).toMatchObject({ stream: true, response_format: { type: "json_schema" } });
  });

  it("streams text completions and embeds", async () => {
    const engine = createEngine({ config: config() });
    expect((await engine.complete("SELECT 1")).text).toBe("You said: SELECT 1");
    const embedded = await engine.embed(["x", "y"]);
    expect(embedded).toMatchObject({ backend: "openai", dimensions: 8 });
    expect(embedded.vectors).toHaveLength(2);
  });

  it("assembles streamed tool calls", async () => {
    const server = await startOpenAiTestServer({
      reply: () => ({ toolCalls: [{ name: "run_sql", arguments: { sql: "SELECT 1" } }] }),
    });
    try {
      const engine = createEngine({ config: { ...config(), openai: { url: server.url, model: "m" } } });
      const result = await engine.chat([{ role: "user", content: "q" }], {
        tools: [
          {
            name: "run_sql",
            description: "Run SQL",
            parameters: { type: "object", properties: { sql: { type: "string" } } },
          },
        ],
      });
      expect(result.stopReason).toBe("toolCall");
      expect(result.toolCalls?.[0]).toMatchObject({ name: "run_sql", arguments: { sql: "SELECT 1" } });
    } finally {
      await server.close();
    }
  });

  it("says which variable is missing when the API key is not set, and what a 401 means", async () => {
    const unset = createEngine({
      config: { ...config(), openai: { url: openai.url, model: "m", apiKeyEnv: "ASKDB_TEST_NO_SUCH_KEY" } },
    });
    const missing = await caught(unset.chat([{ role: "user", content: "q" }]));
    expect(missing.code).toBe("UNAUTHORIZED");
    expect(missing.message).toContain("ASKDB_TEST_NO_SUCH_KEY");
    const wrong = createEngine({ config: { ...config(), openai: { url: openai.url, model: "m" } } });
    expect((await caught(wrong.chat([{ role: "user", content: "q" }]))).code).toBe("UNAUTHORIZED");
  });

  it("cancels a stream when the caller aborts", async () => {
    const slow = await startOpenAiTestServer({
      reply: () => "one two three four five six seven eight",
      pieceDelayMs: 30,
    });
    try {
      const engine = createEngine({ config: { ...config(), openai: { url: slow.url, model: "m" } } });
      const controller = new AbortController();
      const error = await caught(
        engine.chat([{ role: "user", content: "q" }], {
          signal: controller.signal,
          onToken: () => controller.abort(),
        }),
      );
      expect(error.code).toBe("CANCELLED");
    } finally {
      await slow.close();
    }
  });
});

describe("privacy and fallback", () => {
  it("refuses a remote (non-loopback) backend unless allowed", async () => {
    const engine = createEngine({
      config: { backends: ["openai"], openai: { url: "http://10.255.255.1:9/v1", model: "m" }, ...fast },
    });
    const error = await caught(engine.chat([{ role: "user", content: "secret rows" }]));
    expect(error.code).toBe("REMOTE_NOT_ALLOWED");
    expect(error.hint).toContain("allowRemote");
  });

  it("retries a failing backend with backoff, then falls back to the next", async () => {
    const failing = await startOpenAiTestServer();
    const ollama = await startOllamaTestServer();
    try {
      failing.failNext(100, 503);
      const engine = createEngine({
        config: {
          backends: ["openai", "ollama"],
          openai: { url: failing.url, model: "m" },
          ollama: { url: ollama.origin, model: "qwen2.5-coder:1.5b" },
          ...fast,
        },
      });
      const result = await engine.chat([{ role: "user", content: "hello" }]);
      expect(result).toMatchObject({
        backend: "ollama",
        model: "qwen2.5-coder:1.5b",
        text: "You said: hello",
      });
      expect(failing.requests).toHaveLength(3);
      expect(engine.metrics().find((m) => m.backend === "openai")).toMatchObject({ failedRequests: 3 });
    } finally {
      await Promise.all([failing.close(), ollama.close()]);
    }
  });

  it("recovers on a retry after a transient failure, and moves on when no local model is installed", async () => {
    const flaky = await startOpenAiTestServer();
    try {
      flaky.failNext(1, 502);
      const engine = createEngine({
        config: { backends: ["llamacpp", "openai"], openai: { url: flaky.url, model: "m" }, ...fast },
      });
      const result = await engine.chat([{ role: "user", content: "hi" }]);
      expect(result.backend).toBe("openai");
      expect(flaky.requests).toHaveLength(2);
    } finally {
      await flaky.close();
    }
  });

  it("reports every backend's failure when all of them fail", async () => {
    const engine = createEngine({
      config: {
        backends: ["llamacpp", "ollama"],
        ollama: { url: "http://127.0.0.1:9", model: "m" },
        ...fast,
      },
    });
    const error = await caught(engine.chat([{ role: "user", content: "hi" }]));
    expect(error.message).toContain("llamacpp: no model installed");
    expect(error.message).toContain("ollama: cannot reach the ollama backend");
  });
});
