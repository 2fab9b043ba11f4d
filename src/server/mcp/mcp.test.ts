import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askdbCommand } from "../testing/cli.js";

type TextResult = {
  content: Array<{ type: string; text: string }>;
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
};

describe("askdb mcp with the official MCP client", () => {
  let dataDir: string;
  let client: Client;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "askdb-mcp-"));
    const { command, args, cwd } = askdbCommand(["mcp", "--data-dir", dataDir]);
    client = new Client({ name: "askdb-test", version: "1.0.0" });
    await client.connect(new StdioClientTransport({ command, args, cwd, stderr: "ignore" }));
  });
  afterAll(async () => {
    await client.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function call(name: string, args: Record<string, unknown>): Promise<TextResult> {
    return (await client.callTool({ name, arguments: args })) as TextResult;
  }

  it("offers ask, run_sql, list_tables and describe_table", async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      "ask",
      "describe_table",
      "list_tables",
      "run_sql",
    ]);
  });

  it("lists and describes tables", async () => {
    const tables = await call("list_tables", {});
    expect(tables.isError).toBeFalsy();
    expect(tables.content[0].text).toMatch(/products/);
    const products = await call("describe_table", { table: "products" });
    expect(products.content[0].text).toMatch(/CREATE TABLE products/);
    const missing = await call("describe_table", { table: "nope" });
    expect(missing.isError).toBe(true);
    expect(missing.content[0].text).toMatch(/no table or view named "nope"/);
  });

  it("runs read-only SQL and refuses writes", async () => {
    const rows = await call("run_sql", { sql: "SELECT COUNT(*) AS n FROM categories" });
    expect(rows.isError).toBeFalsy();
    expect(rows.structuredContent).toMatchObject({ rows: [[15]] });
    const refused = await call("run_sql", { sql: "DROP TABLE categories" });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toMatch(/read-only/);
  });

  it("answers a question in plain language", async () => {
    const answer = await call("ask", { question: "Who are our top 10 customers by total purchases?" });
    expect(answer.isError).toBeFalsy();
    expect(answer.content[0].text).toMatch(/SELECT/);
    expect(answer.structuredContent).toMatchObject({ source: "example", rowCount: 10 });
    const unanswerable = await call("ask", { question: "how tall is the moon?" });
    expect(unanswerable.isError).toBe(true);
    expect(unanswerable.content[0].text).toMatch(/model/);
  });
});
