import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { AskDbError } from "../errors/index.js";
import { openStore } from "../store/index.js";
import { createEngine, type ManagedEngine } from "./index.js";
import { missingModelsReason, STORIES_MODEL, TINY_RANDOM_MODEL } from "./testing/index.js";

const skipReason = missingModelsReason();
if (skipReason) console.warn(skipReason);

const small = { threads: 1, contextSize: 1024 } as const;

async function caught(promise: Promise<unknown>): Promise<AskDbError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AskDbError);
    return error as AskDbError;
  }
  throw new Error("expected a rejection");
}

describe.skipIf(skipReason !== undefined)("llama.cpp backend on real models", () => {
  const engines: ManagedEngine[] = [];
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const engine = (options: Parameters<typeof createEngine>[0]) => {
    const created = createEngine(options);
    engines.push(created);
    return created;
  };
  afterAll(async () => {
    await Promise.all(engines.map((e) => e.close()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const stories = engine({ modelFile: STORIES_MODEL, embeddingModelFile: STORIES_MODEL, config: small });
  const random = engine({
    modelFile: TINY_RANDOM_MODEL,
    embeddingModelFile: TINY_RANDOM_MODEL,
    config: small,
  });

  it("loads lazily, streams tokens and reports real figures", async () => {
    expect(stories.status().state).toBe("unloaded");
    const streamed: string[] = [];
    const result = await stories.complete("Once upon a time", {
      maxTokens: 24,
      onToken: (t) => streamed.push(t),
    });
    expect(result.text).toMatch(/^, there was a little girl named Lily/);
    expect(streamed.join("")).toBe(result.text);
    expect(streamed.length).toBeGreaterThan(3);
    expect(result).toMatchObject({
      backend: "llamacpp",
      model: "stories260K",
      stopReason: "maxTokens",
      generatedTokens: 24,
    });
    expect(result.promptTokens).toBeGreaterThan(3);
    expect(result.tokensPerSecond).toBeGreaterThan(0);
    expect(result.timeToFirstTokenMs).toBeGreaterThan(0);
    expect(stories.status()).toMatchObject({
      state: "ready",
      model: "stories260K",
      threads: 1,
      contextSize: 1024,
    });
  });

  it("stops at a stop sequence without including it", async () => {
    const result = await stories.complete("Once upon a time", { maxTokens: 60, stop: ["Lily"] });
    expect(result.stopReason).toBe("stop");
    expect(result.text).toBe(", there was a little girl named");
  });

  it("continues an answer that starts with a given prefix, and returns only what the model added", async () => {
    const messages = [{ role: "user" as const, content: "Tell me a story." }];
    const continued = await stories.chat(messages, { maxTokens: 12, responsePrefix: "Once upon a time" });
    expect(stories.capabilities().responsePrefix).toBe(true);
    // The story model's one sentence, as after the same words given as a plain completion.
    expect(continued.text).toMatch(/^, there was a little girl named Lily/);
  });

  it("reuses the evaluated prefix: a second prompt with the same start evaluates only the rest", async () => {
    const system = "You tell short stories about a little girl named Lily, her dog and the park. ".repeat(10);
    const first = await stories.chat(
      [
        { role: "system", content: system },
        { role: "user", content: "Tell me a story." },
      ],
      { maxTokens: 8 },
    );
    const second = await stories.chat(
      [
        { role: "system", content: system },
        { role: "user", content: "Tell me about a dog." },
      ],
      { maxTokens: 8 },
    );
    expect(second.promptTokens).toBeGreaterThan(100);
    expect(second.reusedPromptTokens).toBeGreaterThan(second.promptTokens * 0.8);
    expect(second.promptTokens - second.reusedPromptTokens).toBeLessThan(first.promptTokens * 0.2);
    const unrelated = await stories.complete("The dog ran", { maxTokens: 4 });
    expect(unrelated.reusedPromptTokens).toBeLessThanOrEqual(1);
  });

  it("keeps a prompt that nearly fills the window whole, so its prefix is reused the next time", async () => {
    const sentence = "Lily and her dog walk to the park and back again. ";
    let system = sentence;
    // Past nine tenths of the 1,024-token window: where llama.cpp's completion cut a prompt's start.
    while ((await stories.countTokens(system)) < 960) system += sentence;
    const ask = (question: string) =>
      stories.chat(
        [
          { role: "system", content: system },
          { role: "user", content: question },
        ],
        { maxTokens: 4 },
      );
    const first = await ask("Where do they go?");
    const second = await ask("Who walks?");
    expect(first.promptTokens).toBeGreaterThan(960);
    expect(second.reusedPromptTokens).toBeGreaterThan(950);
  });

  it("keeps grammar-constrained output inside its grammar, even from random weights", async () => {
    const grammar = 'root ::= ("yes" | "no") " " [0-9] [0-9] [0-9]';
    for (const seed of [1, 2, 3, 4, 5]) {
      const result = await random.complete("Answer:", { grammar, temperature: 1, seed, maxTokens: 20 });
      expect(result.text).toMatch(/^(yes|no) \d{3}$/);
    }
  });

  it("obeys a JSON schema", async () => {
    const jsonSchema = {
      type: "object",
      properties: { table: { enum: ["orders", "customers"] }, limit: { type: "integer" } },
      required: ["table", "limit"],
    };
    for (const seed of [7, 8, 9]) {
      const result = await random.complete("JSON:", { jsonSchema, temperature: 1, seed, maxTokens: 80 });
      const parsed = JSON.parse(result.text) as { table: string; limit: number };
      expect(["orders", "customers"]).toContain(parsed.table);
      expect(result.text, result.text).toMatch(/"limit": ?-?\d+/);
    }
  });

  it("refuses a broken grammar with a clear error", async () => {
    const error = await caught(random.complete("x", { grammar: "root ::= (" }));
    expect(error.code).toBe("INVALID_INPUT");
    expect(error.message).toContain("GBNF grammar");
  });

  it("embeds a batch with a fixed dimension, identically for identical text", async () => {
    const result = await stories.embed(["the dog", "the dog", "a red ball in the park"]);
    expect(result).toMatchObject({ backend: "llamacpp", model: "stories260K", dimensions: 64 });
    expect(result.vectors).toHaveLength(3);
    for (const vector of result.vectors) expect(vector).toHaveLength(64);
    expect(result.vectors[1]).toEqual(result.vectors[0]);
    expect(result.vectors[2]).not.toEqual(result.vectors[0]);
    expect((await random.embed(["x"])).dimensions).toBe(8);
    const edge = await stories.embed(["", "Lily ".repeat(5000)]);
    expect(edge.vectors.map((v) => v.length)).toEqual([64, 64]);
    expect(edge.vectors[0].every((x) => x === 0)).toBe(true);
  });

  it("counts tokens with the model's tokenizer", async () => {
    expect(await stories.countTokens("Once upon a time")).toBeGreaterThan(2);
    expect(await stories.countTokens("Once upon a time there was")).toBeGreaterThan(
      await stories.countTokens("Once upon a time"),
    );
  });

  it("cancels a generation mid-way when the signal aborts", async () => {
    const controller = new AbortController();
    let tokens = 0;
    const error = await caught(
      random.complete("Go on forever:", {
        maxTokens: 900,
        signal: controller.signal,
        onToken: () => {
          tokens += 1;
          if (tokens === 5) controller.abort();
        },
      }),
    );
    expect(error.code).toBe("CANCELLED");
    expect(tokens).toBeLessThan(100);
    // The engine serves the next request normally.
    expect((await random.complete("Next:", { maxTokens: 3 })).generatedTokens).toBe(3);
  });

  it("refuses a prompt longer than the context window", async () => {
    const error = await caught(stories.complete("Lily ".repeat(2000), { maxTokens: 4 }));
    expect(error.code).toBe("PAYLOAD_TOO_LARGE");
    expect(error.message).toContain("1024");
  });

  it("honours the thread setting and reloads when it changes", async () => {
    const tuned = engine({ modelFile: TINY_RANDOM_MODEL, config: { threads: 2, contextSize: 512 } });
    await tuned.complete("a", { maxTokens: 1 });
    expect(tuned.runtime()?.threads).toBe(2);
    tuned.updateConfig({ threads: 1 });
    await tuned.complete("a", { maxTokens: 1 });
    expect(tuned.runtime()?.threads).toBe(1);
  });

  it("runs with flash attention, which evaluates a long prompt faster on a CPU too", async () => {
    await stories.complete("a", { maxTokens: 1 });
    const runtime = stories.runtime();
    expect(runtime?.gpu).toBe(false);
    expect(runtime?.flashAttention).toBe(true);
  });

  it("follows the active model when it changes", async () => {
    let active = { id: "stories", path: STORIES_MODEL };
    const following = engine({ locateModel: (kind) => (kind === "llm" ? active : undefined), config: small });
    expect((await following.complete("a", { maxTokens: 1 })).model).toBe("stories");
    active = { id: "tiny", path: TINY_RANDOM_MODEL };
    const switched = await following.complete("a", { maxTokens: 1 });
    expect(switched.model).toBe("tiny");
    expect(switched.loadMs).toBeGreaterThan(0);
  });

  it("unloads after the idle keep-alive", async () => {
    const idle = engine({ modelFile: TINY_RANDOM_MODEL, config: { ...small, keepAliveMs: 50 } });
    await idle.complete("a", { maxTokens: 2 });
    await vi.waitFor(() => expect(idle.status().state).toBe("unloaded"), { timeout: 10_000, interval: 25 });
    expect(idle.runtime()).toBeUndefined();
    const again = await idle.complete("a", { maxTokens: 2 });
    expect(again.loadMs).toBeGreaterThan(0);
  });

  it("says plainly when no model is installed", async () => {
    const error = await caught(engine({ config: small }).chat([{ role: "user", content: "hi" }]));
    expect(error.code).toBe("NO_MODEL");
    expect(error.message).toBe("no model installed: run `askdb models pull qwen2.5-coder-1.5b`");
    expect((await caught(engine({ modelFile: STORIES_MODEL, config: small }).embed(["x"]))).code).toBe(
      "NO_MODEL",
    );
  });

  it("refuses a model that does not fit in memory, and a file that is not a model", async () => {
    const tooLarge = await caught(
      engine({ modelFile: STORIES_MODEL, config: { ...small, maxMemoryBytes: 1000 } }).complete("a"),
    );
    expect(tooLarge.code).toBe("MODEL_TOO_LARGE");
    expect(tooLarge.hint).toContain("smaller model");
    const notModel = join(tempDir("askdb-engine-"), "fake.gguf");
    writeFileSync(notModel, "this is not a GGUF file at all");
    expect((await caught(engine({ modelFile: notModel, config: small }).complete("a"))).code).toBe(
      "MODEL_INVALID",
    );
    expect(
      (await caught(engine({ modelFile: `${notModel}.missing`, config: small }).complete("a"))).code,
    ).toBe("MODEL_INVALID");
  });

  it("persists per-model metrics in the state store and renders Prometheus text", async () => {
    const dataDir = tempDir("askdb-engine-metrics-");
    const store = openStore(dataDir);
    const measured = engine({ modelFile: TINY_RANDOM_MODEL, config: small, store });
    await measured.complete("a", { maxTokens: 4 });
    await measured.complete("b", { maxTokens: 4 });
    await caught(measured.complete("c", { grammar: "root ::= (" }));
    const [row] = measured.metrics();
    expect(row).toMatchObject({
      model: "llama-2-tiny-random",
      backend: "llamacpp",
      totalRequests: 3,
      successfulRequests: 2,
      failedRequests: 1,
      generatedTokens: 8,
    });
    expect(row.averageTokensPerSecond).toBeGreaterThan(0);
    expect(row.peakMemoryBytes).toBeGreaterThan(0);
    expect(row.lastLoadMs).toBeGreaterThan(0);
    const again = createEngine({ modelFile: TINY_RANDOM_MODEL, config: small, store });
    expect(again.metrics()[0].totalRequests).toBe(3);
    const text = await measured.prometheus();
    expect(text).toContain(
      'askdb_engine_requests_total{model="llama-2-tiny-random",backend="llamacpp",outcome="success"} 2',
    );
    expect(text).toContain("askdb_engine_queue_length 0");
    store.close();
  });
});
