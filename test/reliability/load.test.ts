/**
 * Area 5: load. 50 concurrent clients against a real `askdb serve` for 30 s (configurable, bounded),
 * mixing cached and uncached questions, /status and /sql, with no model installed: no 5xx except
 * the documented 503 (NO_MODEL for a question only a model can answer, BUSY "retry"), /health p99
 * under 100 ms, and the server's memory (RSS) bounded.
 */
import { execFile, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkspace, damageBetween, REPO_ROOT, type WorkspaceSnapshot } from "./support/fixtures.js";
import { errorCodeOf, percentile } from "./support/http.js";
import { seededRandom, startServeProcess, type ServeProcess } from "./support/serve-process.js";
import { areaTally } from "./support/tally.js";

const CLIENTS = boundedSetting("ASKDB_RELIABILITY_LOAD_CLIENTS", 50, 1, 200);
const SECONDS = boundedSetting("ASKDB_RELIABILITY_LOAD_SECONDS", 30, 1, 120);
/** Each client pauses this long between requests, as people and UIs do. */
const THINK_MS = boundedSetting("ASKDB_RELIABILITY_LOAD_THINK_MS", 200, 0, 5000);
const HEALTH_P99_MS = 100;
/**
 * A latency bound says nothing on a machine that other jobs oversubscribe (2 cores at load 15 happen
 * on shared CI hosts): above this many runnable tasks per core, p99 is reported but not asserted.
 */
const OVERSUBSCRIBED_LOAD_PER_CORE = 2;
const RSS_LIMIT_BYTES = 1024 * 1024 * 1024;
const DOCUMENTED_503 = new Set(["NO_MODEL", "BUSY"]);
const TRAINED_QUESTION = "how many products are there";
/**
 * The server and the /health pinger run at a higher CPU priority where allowed (root; elsewhere nice
 * only warns), so that other work on a shared CI machine does not count as askdb's latency. The
 * clients keep normal priority: they still load the server fully.
 */
const PRIORITY = spawnSync("nice", ["-n", "-10", "true"]).status === 0 ? ["nice", "-n", "-10"] : [];

const workspace = createWorkspace("load");
const tally = areaTally("5. load");
const random = seededRandom(Number(process.env.ASKDB_RELIABILITY_SEED ?? 20261122));
let server: ServeProcess;
let baseline: WorkspaceSnapshot;

function boundedSetting(name: string, fallback: number, min: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}

beforeAll(async () => {
  server = await startServeProcess({
    dataDir: workspace.dataDir,
    db: workspace.dbPath,
    env: { TMPDIR: workspace.tmp },
    wrapper: PRIORITY,
  });
  const trained = await server.api("/train", {
    method: "POST",
    json: {
      training_type: "question_sql",
      question: TRAINED_QUESTION,
      content: "SELECT count(*) AS products FROM products",
    },
  });
  expect(trained.status, await trained.clone().text()).toBe(201);
  baseline = workspace.snapshot();
});

afterAll(async () => {
  await server?.stop();
  workspace.remove();
});

function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) * 1024 : 0;
}

type Step = () => { path: string; method: string; json?: unknown };

const STEPS: Array<[number, Step]> = [
  [3, () => ({ method: "POST", path: "/query", json: { question: TRAINED_QUESTION } })],
  [
    2,
    () => ({
      method: "POST",
      path: "/query",
      json: { question: `which category sold most in month ${Math.floor(random() * 1e9)}?` },
    }),
  ],
  [2, () => ({ method: "GET", path: "/status" })],
  [
    3,
    () => ({
      method: "POST",
      path: "/sql",
      json: {
        sql: `SELECT category, sum(quantity) FROM orders JOIN products ON products.id = orders.product_id WHERE orders.id > ${Math.floor(random() * 100)} GROUP BY category`,
      },
    }),
  ],
  [1, () => ({ method: "GET", path: "/api/history?limit=20" })],
];
const WEIGHT = STEPS.reduce((sum, [weight]) => sum + weight, 0);

function nextStep(): ReturnType<Step> {
  let pick = random() * WEIGHT;
  for (const [weight, step] of STEPS) {
    pick -= weight;
    if (pick < 0) return step();
  }
  return STEPS[0][1]();
}

describe(`${CLIENTS} concurrent clients for ${SECONDS} s`, () => {
  it(
    "no undocumented 5xx, /health p99 under 100 ms, memory bounded",
    { timeout: (SECONDS + 90) * 1000 },
    async () => {
      const pid = server.child.pid!;
      const rssStart = rssOf(pid);
      const loadPerCore = loadavg()[0] / availableParallelism();
      let rssPeak = rssStart;
      const statuses = new Map<string, number>();
      const problems: string[] = [];
      const health: number[] = [];
      const deadline = Date.now() + SECONDS * 1000;
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      const client = async () => {
        while (Date.now() < deadline) {
          const step = nextStep();
          tally.tried();
          try {
            const response = await server.api(step.path, { method: step.method, json: step.json });
            const text = await response.text();
            const code = response.status >= 400 ? (errorCodeOf(JSON.parse(text)) ?? "unclear") : "ok";
            const key = `${step.method} ${step.path.split("?")[0]} ${response.status}${code === "ok" ? "" : ` ${code}`}`;
            statuses.set(key, (statuses.get(key) ?? 0) + 1);
            if (response.status >= 400) tally.refused();
            if (response.status >= 500 && !(response.status === 503 && DOCUMENTED_503.has(code)))
              problems.push(`${key}: ${text.slice(0, 160)}`);
          } catch (error) {
            problems.push(`${step.method} ${step.path}: ${String(error)}`);
          }
          await sleep(THINK_MS * (0.5 + random()));
        }
      };
      const memory = async () => {
        for (; Date.now() < deadline; await sleep(250)) rssPeak = Math.max(rssPeak, rssOf(pid));
      };
      const pinger = join(REPO_ROOT, "test", "reliability", "support", "health-pinger.mjs");
      const pingCommand = [
        ...PRIORITY,
        process.execPath,
        pinger,
        server.url,
        server.token,
        String(SECONDS),
        "50",
      ];
      const pings = promisify(execFile)(pingCommand[0], pingCommand.slice(1));
      await Promise.all([memory(), ...Array.from({ length: CLIENTS }, client)]);
      health.push(...(JSON.parse((await pings).stdout) as number[]));

      const p99 = percentile(health, 99);
      const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
      tally.note(
        `${CLIENTS} clients × ${SECONDS} s, think ${THINK_MS} ms; /health p50 ${percentile(health, 50).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...health).toFixed(0)} ms (${health.length} pings); RSS start ${mb(rssStart)}, peak ${mb(rssPeak)}`,
      );
      tally.note(
        [...statuses.entries()]
          .sort()
          .map(([key, count]) => `${key}: ${count}`)
          .join("\n"),
      );
      tally.check(
        problems.length === 0,
        `${problems.length} undocumented failures, e.g. ${problems.slice(0, 3).join(" | ")}`,
      );
      if (loadPerCore <= OVERSUBSCRIBED_LOAD_PER_CORE)
        tally.check(p99 < HEALTH_P99_MS, `/health p99 ${p99.toFixed(1)} ms under load`);
      else
        tally.note(
          `/health p99 NOT asserted: the machine was oversubscribed before the run (load ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
        );
      tally.check(rssPeak < RSS_LIMIT_BYTES, `server RSS peaked at ${mb(rssPeak)}`);
      for (const damage of damageBetween(baseline, workspace.snapshot())) tally.check(false, damage);
    },
  );
});
