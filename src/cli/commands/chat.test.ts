import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAskdb } from "../../server/testing/index.js";
import { afterAll, describe, expect, it } from "vitest";
import { createSampleDatabase } from "../../sql/connect/sample-database.js";
import { missingModelsReason, STORIES_MODEL, TINY_RANDOM_MODEL } from "../../engine/testing/index.js";

const dir = mkdtempSync(join(tmpdir(), "askdb-cli-chat-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const askdb = (...args: string[]) => runAskdb(join(dir, "data"), ...args);

describe("askdb chat", () => {
  it("says plainly that no model is installed", async () => {
    const { code, stdout } = await askdb("chat", "--json", "hello");
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({
      error: { code: "NO_MODEL", message: "no model installed: run `askdb models pull qwen2.5-coder-1.5b`" },
    });
  });

  it("refuses --json without a message, and a bad --max-tokens", async () => {
    const noMessage = await askdb("chat", "--json");
    expect(noMessage.code).toBe(2);
    expect(JSON.parse(noMessage.stdout)).toMatchObject({
      error: { code: "INVALID_INPUT", message: "--json needs a message" },
    });
    const badLimit = await askdb("chat", "--max-tokens", "0", "hi");
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain("--max-tokens must be a whole number");
  });

  it.skipIf(missingModelsReason() !== undefined)(
    "answers one message as JSON with real figures",
    async () => {
      const { code, stdout } = await askdb(
        "chat",
        "--model",
        STORIES_MODEL,
        "--json",
        "--max-tokens",
        "24",
        "Once upon a time",
      );
      expect(code).toBe(0);
      const answer = JSON.parse(stdout) as Record<string, unknown>;
      expect(answer).toMatchObject({ model: "stories260K", backend: "llamacpp", generatedTokens: 24 });
      expect(typeof answer.text).toBe("string");
      expect(answer.promptTokens).toBeGreaterThan(5);
      expect(answer.timeToFirstTokenMs).toBeGreaterThan(0);
      expect(answer.tokensPerSecond).toBeGreaterThan(0);
    },
  );

  it.skipIf(missingModelsReason() !== undefined)("gives the model the database tools with --db", async () => {
    const dbPath = join(dir, "shop.sqlite");
    createSampleDatabase(dbPath);
    const { code, stdout, stderr } = await askdb(
      "chat",
      "--model",
      TINY_RANDOM_MODEL,
      "--db",
      dbPath,
      "--max-tokens",
      "60",
      "list the tables",
    );
    expect(code, stderr).toBe(0);
    expect(stderr).toContain("llama-2-tiny-random via llamacpp");
    expect(typeof stdout).toBe("string");
  });
});
