import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingTestModels, TEST_MODELS } from "../models/testing/index.js";
import { startTestServer, type TestServer } from "./testing/harness.js";

const missing = missingTestModels();

describe.skipIf(missing)(
  `with a real model loaded (stories260K): the OpenAI-compatible API${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    let t: TestServer;
    let client: OpenAI;
    let modelId: string;
    beforeAll(async () => {
      t = await startTestServer();
      t.askdb.settings.update({ "engine.threads": 1, "engine.contextSize": 512 });
      const model = await t.askdb.models.add(TEST_MODELS.stories.path);
      t.askdb.models.activate(model.id);
      modelId = model.id;
      const embedder = await t.askdb.models.add(TEST_MODELS.tiny.path, { kind: "embedding" });
      t.askdb.models.activate(embedder.id);
      client = new OpenAI({ baseURL: `${t.url}/v1`, apiKey: "not-needed-on-loopback", maxRetries: 0 });
    });
    afterAll(() => t.close());

    it("lists the installed model", async () => {
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toContain(modelId);
    });

    it("answers a chat completion", async () => {
      const completion = await client.chat.completions.create({
        model: "stories260K",
        messages: [{ role: "user", content: "Once upon a time" }],
        max_tokens: 12,
        temperature: 0,
      });
      expect(completion.object).toBe("chat.completion");
      expect(completion.choices[0].message.role).toBe("assistant");
      expect(completion.choices[0].message.content?.length).toBeGreaterThan(0);
      expect(["stop", "length"]).toContain(completion.choices[0].finish_reason);
      expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
    });

    it("streams a chat completion that ends with a finish reason", async () => {
      const stream = await client.chat.completions.create({
        model: "stories260K",
        messages: [{ role: "user", content: "Once upon a time" }],
        max_tokens: 12,
        temperature: 0,
        stream: true,
      });
      let text = "";
      let finish: string | null = null;
      const models = new Set<string>();
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta?.content ?? "";
        finish = chunk.choices[0]?.finish_reason ?? finish;
        models.add(chunk.model);
      }
      expect(text.length).toBeGreaterThan(0);
      expect([...models]).toEqual([expect.stringMatching(/stories260k/i)]);
      expect(["stop", "length"]).toContain(finish);
    });

    it("takes tools and answers with a tool call or text", async () => {
      const completion = await client.chat.completions.create({
        model: "stories260K",
        messages: [{ role: "user", content: "What is the weather in Paris?" }],
        tools: [
          {
            type: "function",
            function: {
              name: "get_weather",
              description: "Weather of a city",
              parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
            },
          },
        ],
        max_tokens: 48,
        temperature: 0,
      });
      const choice = completion.choices[0];
      if (choice.finish_reason === "tool_calls") {
        const call = choice.message.tool_calls![0];
        expect(call.type).toBe("function");
        expect(call.type === "function" && call.function.name).toBe("get_weather");
        expect(() => JSON.parse(call.type === "function" ? call.function.arguments : "")).not.toThrow();
      } else {
        expect(typeof choice.message.content).toBe("string");
      }
    });

    it("embeds text, as floats or base64 (the official client's default)", async () => {
      const result = await client.embeddings.create({
        model: "stories260K",
        input: ["a little girl", "a big dog"],
      });
      expect(result.data).toHaveLength(2);
      expect(result.data[0].embedding.length).toBe(8);
      const floats = await client.embeddings.create({
        model: "stories260K",
        input: "a little girl",
        encoding_format: "float",
      });
      expect(floats.data[0].embedding[0]).toBeCloseTo(result.data[0].embedding[0], 5);
    });

    it("refuses malformed requests with a 400 the client reports", async () => {
      await expect(
        client.chat.completions.create({ model: "stories260K", messages: [] }),
      ).rejects.toMatchObject({ status: 400 });
      const raw = await fetch(`${t.url}/v1/embeddings`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ input: [] }),
      });
      expect(raw.status).toBe(400);
    });

    it("stops generating when a streaming client disconnects, leaving the engine free", async () => {
      const abort = new AbortController();
      const stream = await client.chat.completions.create(
        {
          model: "stories260K",
          messages: [{ role: "user", content: "Once upon a time" }],
          max_tokens: 1500,
          temperature: 1,
          stream: true,
        },
        { signal: abort.signal },
      );
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) break;
      }
      abort.abort();
      await expect
        .poll(() => t.askdb.engine.status().state, { timeout: 20_000, interval: 50 })
        .not.toBe("busy");
      const next = await client.chat.completions.create({
        model: "stories260K",
        messages: [{ role: "user", content: "Lily" }],
        max_tokens: 4,
      });
      expect(next.choices[0].message.content).toBeTypeOf("string");
    });

    it("explains a question whose prompt does not fit the model's context", async () => {
      const response = await t.api("/query", {
        method: "POST",
        json: { question: "list every supplier in Mumbai with their phone numbers" },
      });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/tokens/);
    });
  },
);
