import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOllamaTestServer, type OllamaTestServer } from "../engine/testing/index.js";
import { runAskdb } from "../server/testing/index.js";
import { startTestServer } from "../server/testing/index.js";
import { createShopFixture, type ShopFixture } from "../sql/testing/index.js";

/** A trained demo question whose SQL returns one row per month: twelve. */
const MONTHLY_QUESTION = "Show gross profit and margin by month for the last 12 months.";

let dataDir: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), "askdb-cli-settings-"));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("what `askdb serve` honours, every command honours", () => {
  it("query.maxRows cuts `askdb ask` and `askdb sql`, and an answer through the server alike", async () => {
    expect((await runAskdb(dataDir, "config", "set", "query.maxRows", "3")).code).toBe(0);

    const asked = await runAskdb(dataDir, "ask", "--json", MONTHLY_QUESTION);
    expect(asked.code, asked.stderr).toBe(0);
    expect(JSON.parse(asked.stdout)).toMatchObject({ source: "example", rowCount: 3, truncated: true });

    const ran = await runAskdb(dataDir, "sql", "--json", "SELECT id FROM invoices");
    expect(JSON.parse(ran.stdout)).toMatchObject({ rowCount: 3, truncated: true });

    const server = await startTestServer({ askdb: { env: {} } });
    try {
      server.askdb.settings.set("query.maxRows", 3);
      const response = await server.api("/query", { method: "POST", json: { question: MONTHLY_QUESTION } });
      expect(await response.json()).toMatchObject({ rowCount: 3, truncated: true });
    } finally {
      await server.close();
    }
  });

  describe("backend.order with Ollama first", () => {
    let ollama: OllamaTestServer;
    let shop: ShopFixture;

    beforeAll(async () => {
      shop = createShopFixture();
      ollama = await startOllamaTestServer({
        reply: () => "```sql\nSELECT COUNT(*) AS customers FROM customers\n```",
      });
    });
    afterAll(async () => {
      await ollama.close();
      shop.cleanup();
    });

    it("is honoured by `askdb ask`: the question goes to the Ollama host, which writes the SQL", async () => {
      const dir = join(dataDir, "ollama");
      for (const [key, value] of [
        ["ollama.url", ollama.origin],
        ["ollama.model", "qwen2.5-coder:1.5b"],
        ["backend.order", "ollama,llamacpp"],
      ])
        expect((await runAskdb(dir, "config", "set", key, value)).code).toBe(0);

      const asked = await runAskdb(dir, "ask", "--db", shop.dbPath, "--json", "how many people buy from us");
      expect(asked.code, asked.stderr).toBe(0);
      expect(JSON.parse(asked.stdout)).toMatchObject({
        source: "model",
        sql: "SELECT COUNT(*) AS customers FROM customers",
        rows: [[12]],
      });
      expect(ollama.requests.some((request) => request.path === "/api/chat")).toBe(true);
    });
  });
});
