import { describe, expect, it } from "vitest";
import { createEngine, type ChatMessage, type ChatOptions } from "../../engine/index.js";
import { missingModelsReason, startOpenAiTestServer, TINY_RANDOM_MODEL } from "../../engine/testing/index.js";
import { AskDbError } from "../../errors/index.js";
import { extractSql, generateSql, generateWithRepair } from "./index.js";

describe("extractSql", () => {
  it.each([
    ["```sql\nSELECT name FROM products;\n```\nThis lists products.", "SELECT name FROM products"],
    ["SQL: SELECT COUNT(*) FROM customers", "SELECT COUNT(*) FROM customers"],
    [
      "Sure! Here is the query:\n\nSELECT a,\n  b\nFROM t\nWHERE x = 'a;b';\nIt returns a and b.",
      "SELECT a,\n  b\nFROM t\nWHERE x = 'a;b'",
    ],
    ["WITH x AS (SELECT 1 AS v) SELECT v FROM x", "WITH x AS (SELECT 1 AS v) SELECT v FROM x"],
    ["SELECT id FROM t\n\nThis query selects ids.", "SELECT id FROM t"],
    ["SELECT id FROM t\r\n\r\nExplanation:\r\n- It selects ids.", "SELECT id FROM t"],
    ["SELECT id\nFROM t\n\n- The query selects ids.", "SELECT id\nFROM t"],
    [
      "```sql\nSELECT\n    c.FirstName,\n    SUM(i.Total) AS Spent\nFROM\n    Customer c\n    JOIN Invoice i ON i.CustomerId = c.CustomerId\nGROUP BY c.CustomerId\n```",
      "SELECT\n    c.FirstName,\n    SUM(i.Total) AS Spent\nFROM\n    Customer c\n    JOIN Invoice i ON i.CustomerId = c.CustomerId\nGROUP BY c.CustomerId",
    ],
    [
      "WITH Counts AS (SELECT Composer, COUNT(*) AS n FROM Track GROUP BY Composer),\nTop AS (SELECT * FROM Counts WHERE n > 30)\n\nSELECT Composer FROM Top\n\nHere it is.",
      "WITH Counts AS (SELECT Composer, COUNT(*) AS n FROM Track GROUP BY Composer),\nTop AS (SELECT * FROM Counts WHERE n > 30)\n\nSELECT Composer FROM Top",
    ],
  ])("finds the SQL in %j", (text, sql) => expect(extractSql(text)).toBe(sql));

  it("returns undefined for prose without SQL", () => {
    expect(extractSql("I cannot answer that question.")).toBeUndefined();
    expect(extractSql("Please select a table first.")).toBeUndefined();
  });
});

describe("generateWithRepair's sampled tries", () => {
  it("are seeded by the question: the same seeds when it is asked again, others for another question", async () => {
    const server = await startOpenAiTestServer({ reply: () => "```sql\nSELECT nothing FROM t\n```" });
    const engine = createEngine({
      config: { backends: ["openai"], openai: { url: server.url, model: "m" } },
    });
    const messagesOf = (question: string): ChatMessage[] => [
      { role: "system", content: "Answer with SQL." },
      { role: "user", content: question },
    ];
    const refuse = () => Promise.reject(new AskDbError("SQL_ERROR", "no such column: nothing"));
    const seedsFor = async (question: string) => {
      const before = server.requests.length;
      await expect(
        generateWithRepair(engine, messagesOf(question), refuse, { question, retries: 3 }),
      ).rejects.toMatchObject({ code: "SQL_ERROR" });
      return server.requests
        .slice(before)
        .filter((request) => request.path.endsWith("/chat/completions"))
        .map((request) => request.body?.seed);
    };
    try {
      const first = await seedsFor("Which genre sells best?");
      // The greedy first answer and the closing repair prompt are not sampled.
      expect(first).toHaveLength(4);
      expect([first[0], first[3]]).toEqual([undefined, undefined]);
      expect(first[1]).not.toBe(first[2]);
      expect(await seedsFor("Which genre sells best?")).toEqual(first);
      const other = await seedsFor("Which artist sells best?");
      expect(other[1]).not.toBe(first[1]);
      expect(other[2]).not.toBe(first[2]);
    } finally {
      await engine.close();
      await server.close();
    }
  });
});

const skip = missingModelsReason();
describe.skipIf(skip !== undefined)(`generateWithRepair with a real model ${skip ?? ""}`, () => {
  it("stops a model that goes round in a loop long before its token limit", async () => {
    const engine = createEngine({ modelFile: TINY_RANDOM_MODEL, config: { threads: 1, contextSize: 512 } });
    try {
      const generated = await generateSql(engine, [{ role: "user", content: "total?" }], {
        // A grammar that never ends makes even a random model loop, as the old SQL grammar made Qwen do.
        grammar: 'root ::= "SELECT TIME(" loop\nloop ::= "TOTAL(" loop',
        maxTokens: 300,
      });
      expect(generated.repeated).toBe(true);
      expect(generated.sql).toBe("");
      expect(generated.text.length).toBeLessThan(120);
    } finally {
      await engine.close();
    }
  });

  it("samples the prompt anew after a failure, tells the facts alone at once for an invented table and after a sample for a missing column, repairs anything else only on the last try, and records every attempt", async () => {
    const engine = createEngine({ modelFile: TINY_RANDOM_MODEL, config: { threads: 1, contextSize: 2048 } });
    const rejected: string[] = [];
    try {
      const messages = [
        { role: "system" as const, content: "You write SQLite. Tables: t(a, b). ".repeat(20) },
        { role: "user" as const, content: "Question: all rows\nSQL:" },
      ];
      const result = await generateWithRepair(
        engine,
        messages,
        async (sql) => {
          if (rejected.length < 2) {
            rejected.push(sql);
            throw new AskDbError("SQL_ERROR", 'near "FROM": syntax error');
          }
          return { sql, outcome: sql.length };
        },
        {
          question: "all rows",
          retries: 2,
          grammar: 'root ::= "SELECT " ("a" | "b") " FROM t"',
          maxTokens: 16,
        },
      );
      expect(result.attempts.map((a) => a.kind)).toEqual(["generate", "sample", "repair"]);
      expect(result.attempts.slice(0, 2).every((a) => a.error === 'near "FROM": syntax error')).toBe(true);
      expect(result.sql).toMatch(/^SELECT [ab] FROM t$/);
      expect(result.attempts[1].reusedPromptTokens).toBeGreaterThan(0);

      // A table the database lacks is told to the model at once, a column once a sample has asked
      // one too, as facts without the failed query (shown it, a small model writes the same name
      // again); the samples come after.
      const shown: string[] = [];
      const watched = new Proxy(engine, {
        get(target, property, receiver) {
          if (property === "chat")
            return (conversation: ChatMessage[], options?: ChatOptions) => {
              shown.push(conversation.at(-1)?.content ?? "");
              return target.chat(conversation, options);
            };
          const value = Reflect.get(target, property, receiver) as unknown;
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
      const missingTwice = async (first: string, second: string) => {
        shown.length = 0;
        const explained: boolean[] = [];
        let tries = 0;
        const result = await generateWithRepair(
          watched,
          messages,
          async (sql) => {
            tries += 1;
            if (tries === 1) throw new AskDbError("SQL_ERROR", first);
            if (tries === 2) throw new AskDbError("SQL_ERROR", second);
            return { sql, outcome: sql.length };
          },
          {
            question: "all rows",
            retries: 3,
            grammar: 'root ::= "SELECT a FROM t"',
            maxTokens: 8,
            explain: (_sql, _error, queryShown) => {
              explained.push(queryShown);
              return "Customer has no column Total. Total is a column of: Invoice.";
            },
          },
        );
        const factsAt = result.attempts.findIndex((attempt) => attempt.kind === "repair");
        expect(shown[factsAt]).toContain("Customer has no column Total.");
        expect(shown[factsAt]).not.toContain("SELECT a FROM t");
        expect(explained).not.toContain(true);
        return result.attempts.map((a) => a.kind);
      };
      expect(await missingTwice("no such table: SupportRep", "no such column: c")).toEqual([
        "generate",
        "repair",
        "sample",
      ]);
      expect(await missingTwice("no such column: T1.Total", "no such column: T1.Total")).toEqual([
        "generate",
        "sample",
        "repair",
      ]);
      // With no sample before the last try, a missing column gets the usual repair: query, error, facts.
      shown.length = 0;
      const lastTry = await generateWithRepair(
        watched,
        messages,
        async (sql) => {
          if (shown.length === 1) throw new AskDbError("SQL_ERROR", "no such column: T1.Total");
          return { sql, outcome: sql.length };
        },
        {
          question: "all rows",
          retries: 1,
          grammar: 'root ::= "SELECT a FROM t"',
          maxTokens: 8,
          explain: (_sql, _error, queryShown) => (queryShown ? "Total is a column of: Invoice." : undefined),
        },
      );
      expect(lastTry.attempts.map((a) => a.kind)).toEqual(["generate", "repair"]);
      expect(shown[1]).toContain("failed:\n```sql\nSELECT");
      expect(shown[1]).toContain("Total is a column of: Invoice.");

      rejected.length = 0;
      await expect(
        generateWithRepair(
          engine,
          messages,
          async () => {
            throw new AskDbError("SQL_ERROR", "no such table: x");
          },
          { question: "all rows", retries: 1, grammar: 'root ::= "SELECT 1"', maxTokens: 8 },
        ),
      ).rejects.toMatchObject({
        code: "SQL_ERROR",
        details: { attempts: [{ kind: "generate" }, { kind: "repair" }] },
      });
    } finally {
      await engine.close();
    }
  });

  it("keeps the first answer that finds something; among answers that find nothing, the one most given", async () => {
    const engine = createEngine({ modelFile: TINY_RANDOM_MODEL, config: { threads: 1, contextSize: 1024 } });
    const choose = (outcomes: string[], retries = 3) => {
      let call = 0;
      return generateWithRepair(
        engine,
        [{ role: "user", content: "Question: all rows\nSQL:" }],
        async (sql) => ({ sql, outcome: outcomes[call++] }),
        {
          question: "all rows",
          retries,
          grammar: 'root ::= "SELECT a FROM t"',
          maxTokens: 8,
          doubtful: (outcome) => outcome.startsWith("nothing"),
          answerKey: (outcome) => outcome,
        },
      );
    };
    try {
      const found = await choose(["nothing", "rows"]);
      expect(found.outcome).toBe("rows");
      expect(found.attempts.map((a) => a.kind)).toEqual(["generate", "sample"]);

      const none = await choose(["nothing-1", "nothing-2", "nothing-2", "nothing-1"]);
      expect(none.attempts.map((a) => a.kind)).toEqual(["generate", "sample", "sample", "sample"]);
      expect(none.outcome).toBe("nothing-1");

      const majority = await choose(["nothing-1", "nothing-2", "nothing-2", "nothing-3"]);
      expect(majority.outcome).toBe("nothing-2");

      // When the database can tell why an answer found nothing, the next try is a repair that says so,
      // once; the samples come after it.
      const told = await generateWithRepair(
        engine,
        [
          { role: "system", content: "You write SQLite." },
          { role: "user", content: "Question: all rows\nSQL:" },
        ],
        async (sql) => ({ sql, outcome: "nothing" }),
        {
          question: "all rows",
          retries: 3,
          grammar: 'root ::= "SELECT a FROM t"',
          maxTokens: 8,
          doubtful: () => true,
          explainDoubt: () => "'Jane' is stored in staff.name.",
        },
      );
      expect(told.attempts.map((a) => a.kind)).toEqual(["generate", "repair", "sample", "sample"]);

      const allRows = [{ role: "user" as const, content: "Question: all rows\nSQL:" }];
      const loopOptions = {
        question: "all rows",
        retries: 3,
        grammar: 'root ::= "SELECT a FROM t"',
        maxTokens: 16,
      };
      // Past the deadline after an answer that ran: that answer, not an error, and the cut shows.
      const cut = await generateWithRepair(engine, allRows, async (sql) => ({ sql, outcome: "nothing" }), {
        ...loopOptions,
        deadlineMs: 1,
        doubtful: () => true,
      });
      expect(cut.outcome).toBe("nothing");
      expect(cut.attempts.map((a) => a.errorCode)).toEqual([undefined, "ANSWER_TIMEOUT"]);
      // The first try runs to its end even past the deadline; only further tries are cut.
      const late = await generateWithRepair(engine, allRows, async (sql) => ({ sql, outcome: "rows" }), {
        ...loopOptions,
        deadlineMs: 1,
      });
      expect(late.sql).toBe("SELECT a FROM t");
      expect(late.attempts).toHaveLength(1);
      // A later try's query still running at the deadline is stopped too.
      let runs = 0;
      const stopped = await generateWithRepair(
        engine,
        allRows,
        (sql, signal) =>
          runs++ === 0
            ? Promise.resolve({ sql, outcome: "nothing" })
            : new Promise((_, reject) =>
                signal?.addEventListener("abort", () =>
                  reject(new AskDbError("CANCELLED", "the query was cancelled")),
                ),
              ),
        { ...loopOptions, deadlineMs: 2_000, doubtful: () => true },
      );
      expect(runs).toBe(2);
      expect(stopped.outcome).toBe("nothing");
      expect(stopped.attempts.map((a) => a.errorCode)).toEqual([undefined, "ANSWER_TIMEOUT"]);
      // Past the deadline with nothing that ran: ANSWER_TIMEOUT, with the attempts made.
      const failing = async (): Promise<{ sql: string; outcome: string }> => {
        throw new AskDbError("SQL_ERROR", "no such column: a");
      };
      await expect(
        generateWithRepair(engine, allRows, failing, { ...loopOptions, deadlineMs: 1 }),
      ).rejects.toMatchObject({
        code: "ANSWER_TIMEOUT",
        details: { attempts: [{ kind: "generate" }, { errorCode: "ANSWER_TIMEOUT" }] },
      });
      // Cancelled by the person: an error, even with an answer that ran.
      const controller = new AbortController();
      const cancelled = generateWithRepair(
        engine,
        allRows,
        async (sql) => {
          controller.abort();
          return { sql, outcome: "nothing" };
        },
        { ...loopOptions, signal: controller.signal, doubtful: () => true },
      );
      await expect(cancelled).rejects.toMatchObject({ code: "CANCELLED" });

      // A later try that cannot be retried (the query ran too long) leaves the answer that ran.
      let call = 0;
      const slow = await generateWithRepair(
        engine,
        [{ role: "user", content: "Question: all rows\nSQL:" }],
        async (sql) => {
          if (call++ === 0) return { sql, outcome: "nothing" };
          throw new AskDbError("SQL_TIMEOUT", "the query ran longer than 5 s");
        },
        {
          question: "all rows",
          retries: 3,
          grammar: 'root ::= "SELECT a FROM t"',
          maxTokens: 8,
          doubtful: () => true,
        },
      );
      expect(slow.outcome).toBe("nothing");
      expect(slow.attempts.map((a) => a.errorCode)).toEqual([undefined, "SQL_TIMEOUT"]);

      for (const retries of [-1.5, Number.NaN])
        expect((await choose(["nothing"], retries)).attempts).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });
});
