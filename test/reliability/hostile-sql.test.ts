/**
 * Area 1: hostile SQL through every path that executes SQL — `askdb sql`, POST /sql, the feedback
 * "run corrected SQL", and the model's own output — with nothing written and /health answering
 * while runaway queries are being stopped.
 */
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createProgram } from "../../src/cli/program.js";
import type { TestServer } from "../../src/server/testing/index.js";
import { hostileSqlCases, type HostileSqlCase } from "../../src/sql/index.js";
import { createWorkspace, damageBetween, REPO_ROOT, type WorkspaceSnapshot } from "./support/fixtures.js";
import { healthLatenciesDuring, jsonCall, percentile, type HttpOutcome } from "./support/http.js";
import { startScriptedAskDb, type ScriptedAskDb } from "./support/scripted-model.js";
import { askdbCommand } from "./support/serve-process.js";
import { areaTally } from "./support/tally.js";

const QUERY_TIMEOUT_MS = 1000;
const ANSWER_DEADLINE_MS = 60_000;
/** /health p99 while runaway queries are stopped; one ping may be slower on a loaded machine, never blocked. */
const HEALTH_P99_MS = 100;
const HEALTH_BLOCKED_MS = 1000;
const workspace = createWorkspace("hostile");
const cases = hostileSqlCases({ table: "orders", dir: workspace.dbDir, tmpDir: workspace.tmp });
const tally = areaTally("1. hostile SQL");
const healthLatencies: number[] = [];
let askdb: ScriptedAskDb;
let server: TestServer;
let modelSays = "SELECT 1";
let historyId: string;
let baseline: WorkspaceSnapshot;

beforeAll(async () => {
  askdb = await startScriptedAskDb(workspace.dbPath, () => `\`\`\`sql\n${modelSays}\n\`\`\``);
  server = askdb.server;
  server.askdb.settings.set("query.timeoutMs", QUERY_TIMEOUT_MS);
  // What is tested is how hostile SQL is refused, not the question's deadline: the model's own
  // huge compound select takes four tries of ≈ 3 s each to refuse, close to the default 15 s on a
  // busy 2-core machine, where the deadline would answer 504 before the refusal.
  server.askdb.settings.set("query.deadlineMs", ANSWER_DEADLINE_MS);
  await server.askdb.train({
    kind: "question_sql",
    question: "how many products are there",
    sql: "SELECT count(*) FROM products",
  });
  const answer = await server.askdb.ask("how many products are there");
  historyId = answer.id;
  baseline = workspace.snapshot();
});

afterAll(async () => {
  await askdb?.close();
  tally.note(
    `/health during runaways: p99 ${percentile(healthLatencies, 99).toFixed(1)} ms, max ${Math.max(0, ...healthLatencies).toFixed(1)} ms (${healthLatencies.length} pings)`,
  );
  workspace.remove();
});

/** The case's accepted outcomes; a request-size limit refusing first counts as a refusal too. */
function accepted(hostile: HostileSqlCase, outcome: string): boolean {
  if (hostile.expect.includes(outcome as never)) return true;
  return (
    (outcome === "INVALID_INPUT" || outcome === "PAYLOAD_TOO_LARGE") && hostile.expect.includes("SQL_REFUSED")
  );
}

function expectNothingWritten(path: string, hostile: HostileSqlCase): void {
  for (const damage of damageBetween(baseline, workspace.snapshot()))
    tally.check(false, `${path} · ${hostile.name}: ${damage}`);
}

/** Runs one HTTP case, pinging /health meanwhile when the query may run long. */
async function throughHttp(
  path: string,
  hostile: HostileSqlCase,
  call: () => Promise<HttpOutcome>,
): Promise<HttpOutcome> {
  tally.tried();
  const request = call();
  if (hostile.category === "runaway" || hostile.category === "memory-bomb") {
    const latencies = await healthLatenciesDuring(server, request);
    healthLatencies.push(...latencies);
    const blocked = latencies.filter((ms) => ms > HEALTH_BLOCKED_MS);
    tally.check(
      blocked.length === 0,
      `${path} · ${hostile.name}: /health took ${blocked.map((ms) => ms.toFixed(0)).join(", ")} ms during the query`,
    );
  }
  const result = await request;
  tally.check(
    result.status < 500 || result.status === 503,
    `${path} · ${hostile.name}: HTTP ${result.status} ${JSON.stringify(result.body).slice(0, 200)}`,
  );
  if (result.outcome !== "rows") tally.refused();
  expectNothingWritten(path, hostile);
  return result;
}

const named = cases.map((hostile) => [hostile.name, hostile] as const);

describe("hostile SQL", () => {
  it("has at least 50 cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
  });

  describe("askdb sql (the CLI command, in process)", () => {
    it.each(named)("%s", async (_name, hostile) => {
      tally.tried();
      const { outcome, output } = await runSqlCommand(hostile.sql);
      if (outcome !== "rows") tally.refused();
      expect(accepted(hostile, outcome), `outcome ${outcome}; output ${output.slice(0, 300)}`).toBe(true);
      expectNothingWritten("askdb sql", hostile);
    });
  });

  describe("askdb sql (a real process, a sample of the cases)", () => {
    const sample = [
      "drop table",
      "attach a new file next to the database",
      "vacuum into the database folder",
      "never-ending recursive CTE (aggregate)",
    ];
    it.each(named.filter(([name]) => sample.includes(name)))("%s", (_name, hostile) => {
      tally.tried();
      const [command, ...args] = askdbCommand([
        "--data-dir",
        workspace.dataDir,
        "sql",
        "--db",
        workspace.dbPath,
        "--json",
        "--timeout-ms",
        String(QUERY_TIMEOUT_MS),
        "--",
        hostile.sql,
      ]);
      const run = spawnSync(command, args, {
        cwd: REPO_ROOT,
        env: { ...process.env, TMPDIR: workspace.tmp },
        encoding: "utf8",
        timeout: 60_000,
      });
      const outcome = (JSON.parse(run.stdout) as { error?: { code: string } }).error?.code ?? "rows";
      if (outcome !== "rows") tally.refused();
      expect(run.status, run.stderr).not.toBe(0);
      expect(accepted(hostile, outcome), `outcome ${outcome}`).toBe(true);
      expectNothingWritten("askdb sql (process)", hostile);
    });
  });

  describe("POST /sql", () => {
    it.each(named)("%s", async (_name, hostile) => {
      const result = await throughHttp("POST /sql", hostile, () =>
        jsonCall(server, "POST", "/sql", { sql: hostile.sql }),
      );
      expect(accepted(hostile, result.outcome), `outcome ${result.outcome}`).toBe(true);
    });
  });

  describe("POST /api/feedback (run the corrected SQL)", () => {
    it.each(named)("%s", async (_name, hostile) => {
      const result = await throughHttp("POST /api/feedback", hostile, () =>
        jsonCall(server, "POST", "/api/feedback", { historyId, verdict: "corrected", sql: hostile.sql }),
      );
      expect(accepted(hostile, result.outcome), `outcome ${result.outcome}`).toBe(true);
    });
  });

  describe("the model's own output (POST /query, an OpenAI-compatible model that answers with the hostile SQL)", () => {
    it.each(named.map(([name, hostile], i) => [name, hostile, i] as const))(
      "%s",
      async (_name, hostile, i) => {
        modelSays = hostile.sql;
        const result = await throughHttp("model output", hostile, () =>
          jsonCall(server, "POST", "/query", {
            question: `case ${i}: which rows match ${hostile.category} ${i}?`,
          }),
        );
        // Extraction may cut the SQL down (to a harmless SELECT) before the guard sees it: rows or a clear 4xx.
        expect(
          result.outcome === "rows" || (result.status >= 400 && result.status < 500),
          `outcome ${result.outcome}`,
        ).toBe(true);
      },
    );
  });

  describe("the run_sql tool (MCP and assistants' tool calls)", () => {
    it.each(named)("%s", async (_name, hostile) => {
      tally.tried();
      const output = await (await server.askdb.tools()).call("run_sql", { sql: hostile.sql });
      if (output.isError) tally.refused();
      const mayRun = hostile.expect.includes("rows");
      const mayFail = hostile.expect.some((outcome) => outcome !== "rows");
      expect(output.isError ? mayFail : mayRun, output.content.slice(0, 300)).toBe(true);
      expectNothingWritten("run_sql tool", hostile);
    });
  });

  it(`/health answered with p99 under ${HEALTH_P99_MS} ms while runaway queries were stopped`, () => {
    expect(healthLatencies.length).toBeGreaterThan(0);
    const p99 = percentile(healthLatencies, 99);
    tally.check(p99 < HEALTH_P99_MS, `/health p99 ${p99.toFixed(1)} ms during runaway queries`);
  });

  it("the database still answers afterwards", async () => {
    const result = await jsonCall(server, "POST", "/sql", { sql: "SELECT count(*) FROM orders" });
    expect((result.body as { rows: unknown[][] }).rows).toEqual([[200]]);
  });
});

/** `askdb sql --json` in this process, its stdout captured; the outcome is "rows" or the error code. */
async function runSqlCommand(sql: string): Promise<{ outcome: string; output: string }> {
  let output = "";
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    output += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  });
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  const argv = ["node", "askdb", "--data-dir", workspace.dataDir, "sql", "--db", workspace.dbPath, "--json"];
  try {
    await createProgram()
      .exitOverride()
      .parseAsync([...argv, "--timeout-ms", String(QUERY_TIMEOUT_MS), "--max-rows", "200", "--", sql]);
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
  const exitCode = process.exitCode ?? 0;
  process.exitCode = 0;
  const parsed = JSON.parse(output) as { error?: { code: string } };
  if (exitCode === 0 && !parsed.error) return { outcome: "rows", output };
  return { outcome: parsed.error?.code ?? `exit ${exitCode} without an error`, output };
}
