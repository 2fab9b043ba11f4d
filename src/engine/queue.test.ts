import { describe, expect, it } from "vitest";
import { AskDbError } from "../errors/index.js";
import { createEngine } from "./index.js";
import { RequestQueue } from "./queue.js";
import { startOpenAiTestServer } from "./testing/index.js";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("request queue", () => {
  it("runs one request at a time, in arrival order", async () => {
    const queue = new RequestQueue(() => 10);
    const order: string[] = [];
    const gate = deferred();
    const first = queue.run(async () => {
      order.push("first starts");
      await gate.promise;
      order.push("first ends");
    });
    const rest = ["second", "third", "fourth"].map((name) => queue.run(async () => void order.push(name)));
    expect(queue.pending).toBe(3);
    expect(queue.busy).toBe(true);
    gate.resolve();
    await Promise.all([first, ...rest]);
    expect(order).toEqual(["first starts", "first ends", "second", "third", "fourth"]);
    expect(queue.busy).toBe(false);
  });

  it("answers busy with a retry-after when the line is full", async () => {
    const queue = new RequestQueue(() => 1);
    const gate = deferred();
    const running = queue.run(() => gate.promise);
    const waiting = queue.run(async () => "served");
    const refused = await queue.run(async () => "never").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AskDbError);
    expect(refused).toMatchObject({ code: "BUSY", retryAfterSeconds: expect.any(Number) });
    expect((refused as AskDbError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    gate.resolve();
    await running;
    expect(await waiting).toBe("served");
  });

  it("drops a waiting request whose caller went away, without disturbing the others", async () => {
    const queue = new RequestQueue(() => 5);
    const gate = deferred();
    const running = queue.run(() => gate.promise);
    const controller = new AbortController();
    const abandoned = queue.run(async () => "abandoned", controller.signal).catch((error: unknown) => error);
    const kept = queue.run(async () => "kept");
    controller.abort();
    expect(await abandoned).toMatchObject({ code: "CANCELLED" });
    expect(queue.pending).toBe(1);
    gate.resolve();
    await running;
    expect(await kept).toBe("kept");
  });
});

describe("engine queue", () => {
  it("keeps status and token counting answering while a slow request runs, and refuses past the bound", async () => {
    const slow = await startOpenAiTestServer({ reply: () => "a b c d e f g h i j", pieceDelayMs: 20 });
    try {
      const engine = createEngine({
        config: { backends: ["openai"], openai: { url: slow.url, model: "m" }, queue: { maxPending: 1 } },
      });
      const first = engine.chat([{ role: "user", content: "1" }]);
      const second = engine.chat([{ role: "user", content: "2" }]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(engine.status()).toMatchObject({ state: "busy", queueLength: 1 });
      expect(await engine.countTokens("abcdefgh")).toBe(2);
      const third = await engine.chat([{ role: "user", content: "3" }]).catch((error: unknown) => error);
      expect(third).toMatchObject({ code: "BUSY" });
      const results = await Promise.all([first, second]);
      expect(results.map((r) => r.text)).toEqual(["a b c d e f g h i j", "a b c d e f g h i j"]);
      expect(slow.requests.map((r) => (r.body?.messages as Array<{ content: string }>)[0].content)).toEqual([
        "1",
        "2",
      ]);
    } finally {
      await slow.close();
    }
  });
});
