import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../store/index.js";
import {
  createEngine,
  openChatSession,
  storeConversations,
  type ChatMessage,
  type ChatTool,
} from "../index.js";
import {
  missingModelsReason,
  startOpenAiTestServer,
  STORIES_MODEL,
  TINY_RANDOM_MODEL,
  type OpenAiTestServer,
  type ScriptedReply,
} from "../testing/index.js";

interface Body {
  messages: ChatMessage[];
  tools?: unknown[];
}

const tables: ChatTool = {
  name: "list_tables",
  description: "List the tables",
  parameters: { type: "object", properties: {}, additionalProperties: false },
  handler: () => ["orders", "customers"],
};
const describeTable: ChatTool = {
  name: "describe_table",
  description: "Describe one table",
  parameters: {
    type: "object",
    properties: { table: { type: "string" } },
    required: ["table"],
    additionalProperties: false,
  },
  handler: (args) => `CREATE TABLE ${String(args.table)} (id INTEGER)`,
};

/** A scripted assistant: calls the tools in `plan` one per round, then answers with what it learnt. */
function planner(plan: Array<{ name: string; arguments: Record<string, unknown> }>) {
  return (body: Record<string, unknown>): ScriptedReply => {
    const { messages, tools } = body as unknown as Body;
    const lastUser = messages.map((m) => m.role).lastIndexOf("user");
    const results = messages.slice(lastUser).filter((m) => m.role === "tool");
    const next = plan[results.length];
    if (tools && next) return { toolCalls: [next] };
    return `Answer from: ${results.map((m) => m.content).join(" | ") || "nothing"}`;
  };
}

describe("chat sessions", () => {
  let store: Store;
  let dataDir: string;
  const servers: OpenAiTestServer[] = [];
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), "askdb-chat-"));
    store = openStore(dataDir);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  async function engineFor(reply: (body: Record<string, unknown>) => ScriptedReply, contextSize?: number) {
    const server = await startOpenAiTestServer({ reply });
    servers.push(server);
    return {
      server,
      engine: createEngine({
        config: { backends: ["openai"], openai: { url: server.url, model: "m" }, contextSize },
      }),
    };
  }

  it("calls tools with checked arguments, feeds results back, and stores the conversation", async () => {
    const { engine } = await engineFor(
      planner([
        { name: "list_tables", arguments: {} },
        { name: "describe_table", arguments: { table: "orders" } },
      ]),
    );
    const conversations = storeConversations(store);
    const session = openChatSession({
      engine,
      conversations,
      tools: [tables, describeTable],
      title: "tables",
    });
    const turn = await session.send("What is in orders?");
    expect(turn.toolOutcomes.map((o) => [o.call.name, o.ok])).toEqual([
      ["list_tables", true],
      ["describe_table", true],
    ]);
    expect(turn.text).toBe('Answer from: ["orders","customers"] | CREATE TABLE orders (id INTEGER)');
    expect(session.messages().map((m) => m.role)).toEqual([
      "user",
      "assistant",
      "tool",
      "assistant",
      "tool",
      "assistant",
    ]);

    const resumed = openChatSession({
      engine,
      conversations: storeConversations(store),
      conversationId: session.id,
    });
    expect(resumed.messages()).toEqual(session.messages());
    expect(resumed.conversation().title).toBe("tables");
    expect(conversations.list().map((c) => c.id)).toContain(session.id);
  });

  it("answers a call with bad arguments or an unknown tool with an error the model can read", async () => {
    const { engine, server } = await engineFor(
      planner([
        { name: "describe_table", arguments: { name: 3 } },
        { name: "drop_table", arguments: {} },
      ]),
    );
    const session = openChatSession({ engine, tools: [tables, describeTable] });
    const turn = await session.send("describe something");
    expect(turn.toolOutcomes.map((o) => o.ok)).toEqual([false, false]);
    expect(turn.toolOutcomes[0].result).toContain("must have required property 'table'");
    expect(turn.toolOutcomes[1].result).toContain('unknown tool "drop_table"');
    const lastRequest = server.requests.at(-1)?.body as unknown as Body;
    expect(lastRequest.messages.filter((m) => m.role === "tool").map((m) => m.content)).toEqual(
      turn.toolOutcomes.map((o) => o.result),
    );
  });

  it("stops offering tools after the round limit so the model must answer", async () => {
    const always = { name: "list_tables", arguments: {} };
    const { engine } = await engineFor(planner([always, always, always, always, always]));
    const turn = await openChatSession({ engine, tools: [tables], maxToolRounds: 2 }).send("loop");
    expect(turn.toolOutcomes).toHaveLength(2);
    expect(turn.text).toContain("Answer from:");
  });

  it("summarises the oldest turns when the conversation outgrows the context", async () => {
    const { engine, server } = await engineFor(planner([]), 700);
    const conversations = storeConversations(store);
    const session = openChatSession({ engine, conversations, maxTokens: 100 });
    let summarized = false;
    for (let i = 0; i < 6; i += 1) {
      const turn = await session.send(`message ${i}: ${"word ".repeat(120)}`);
      summarized ||= turn.summarized;
    }
    expect(summarized).toBe(true);
    const conversation = session.conversation();
    expect(conversation.summary).toBeTruthy();
    expect(conversation.summarizedCount).toBeGreaterThan(0);
    expect(session.messages()).toHaveLength(12);
    const last = server.requests.at(-1)?.body as unknown as Body;
    expect(last.messages[0].content).toContain("Summary of the conversation so far:");
    expect(last.messages.length).toBeLessThan(12);
    expect(last.messages.at(-1)?.content).toContain("message 5");
  });

  it("refuses an empty message and a tool with a broken schema", async () => {
    const { engine } = await engineFor(planner([]));
    await expect(openChatSession({ engine }).send("   ")).rejects.toMatchObject({ code: "INVALID_INPUT" });
    const broken: ChatTool = { ...tables, parameters: { type: "no-such-type" } };
    expect(() => openChatSession({ engine, tools: [broken] })).toThrow(/invalid parameters schema/);
  });
});

const skipReason = missingModelsReason();
describe.skipIf(skipReason !== undefined)("chat on llama.cpp", () => {
  const engine = createEngine({ modelFile: TINY_RANDOM_MODEL, config: { threads: 1, contextSize: 1024 } });
  const stories = createEngine({ modelFile: STORIES_MODEL, config: { threads: 1, contextSize: 1024 } });
  afterAll(async () => {
    await Promise.all([engine.close(), stories.close()]);
  });

  it("gets a well-formed tool call or answer from a random-weight model, every time", async () => {
    const tools = [tables, describeTable].map(({ handler: _handler, ...definition }) => definition);
    for (const seed of [1, 2, 3, 4]) {
      const result = await engine.chat([{ role: "user", content: "what tables are there?" }], {
        tools,
        temperature: 1,
        seed,
        maxTokens: 120,
      });
      if (result.stopReason === "toolCall") {
        expect(["list_tables", "describe_table"]).toContain(result.toolCalls?.[0].name);
      } else {
        expect(result.toolCalls).toBeUndefined();
        expect(typeof result.text).toBe("string");
      }
    }
  });

  it("reuses the conversation so far on the next turn", async () => {
    const session = openChatSession({
      engine: stories,
      maxTokens: 16,
      systemPrompt: "You tell stories about Lily and her dog.",
    });
    const first = await session.send("Tell me a story.");
    const second = await session.send("And then?");
    expect(second.result.promptTokens).toBeGreaterThan(first.result.promptTokens);
    expect(second.result.reusedPromptTokens).toBeGreaterThan(first.result.promptTokens * 0.5);
  });
});
