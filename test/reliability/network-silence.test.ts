/**
 * Area 6: network silence. A full flow with a local model (stories260K through llama.cpp) — add and
 * activate the model, `askdb ask`, then `askdb serve` with the web UI, status, training, questions,
 * SQL, the OpenAI-compatible API — runs in child processes that record every connection: a preload
 * (NODE_OPTIONS --import, so every node process askdb starts has it too) wraps net/tls/dns/dgram, and
 * where strace exists, every connect()/sendto() system call is traced as well (native code included).
 * Every destination must be loopback: no telemetry, no update check, no model hub call.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { missingModelsReason, STORIES_MODEL } from "../../src/engine/testing/index.js";
import { createWorkspace, REPO_ROOT } from "./support/fixtures.js";
import { askdbCommand, startServeProcess } from "./support/serve-process.js";
import { areaTally } from "./support/tally.js";

const workspace = createWorkspace("network");
const tally = areaTally("6. network silence");
const netLog = join(workspace.root, "net.jsonl");
const straceLog = join(workspace.root, "strace.log");
const recorder = join(REPO_ROOT, "test", "reliability", "support", "net-recorder.mjs");
const hasStrace = spawnSync("strace", ["-V"]).status === 0;
/** A network namespace with only loopback (needs root or user namespaces); [] where unavailable. */
const LOOPBACK_ONLY = ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh"];
const hasNetns = spawnSync(LOOPBACK_ONLY[0], [...LOOPBACK_ONLY.slice(1), "true"]).status === 0;
const env: NodeJS.ProcessEnv = {
  TMPDIR: workspace.tmp,
  ASKDB_NET_LOG: netLog,
  ASKDB_THREADS: "1",
  NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${recorder}`.trim(),
};
let straceRuns = 0;

/** strace following every thread and child process, one log file per run; empty without strace. */
function straceWrapper(): string[] {
  straceRuns += 1;
  return hasStrace
    ? [
        "strace",
        "-f",
        "-qq",
        "--seccomp-bpf",
        "-e",
        "trace=connect,sendto",
        "-o",
        `${straceLog}.${straceRuns}`,
      ]
    : [];
}

afterAll(() => workspace.remove());

function isLoopback(host: string | undefined): boolean {
  if (host === undefined) return true;
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return (
    h === "localhost" ||
    h === "::1" ||
    /^127\./.test(h) ||
    /^::ffff:127\./.test(h) ||
    h === "0.0.0.0" ||
    h === "::"
  );
}

/** Runs `askdb …args` to completion under the recorder (and strace, and a loopback-only network, when available). */
function runAskdb(
  args: string[],
  options: { loopbackOnly?: boolean } = {},
): { status: number | null; stdout: string; stderr: string } {
  const command = askdbCommand(args, [
    ...(options.loopbackOnly && hasNetns ? LOOPBACK_ONLY : []),
    ...straceWrapper(),
  ]);
  const result = spawnSync(command[0], command.slice(1), {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, NO_COLOR: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every destination the recorder and strace saw. */
function destinations(): Array<{ source: string; kind: string; host?: string }> {
  const recorded = existsSync(netLog)
    ? readFileSync(netLog, "utf8")
        .trim()
        .split("\n")
        .filter(Boolean)
        .map((line) => ({ source: "preload", ...(JSON.parse(line) as { kind: string; host?: string }) }))
    : [];
  const traced = hasStrace ? straceDestinations() : [];
  return [...recorded, ...traced];
}

function straceDestinations(): Array<{ source: string; kind: string; host?: string }> {
  return readdirSync(workspace.root)
    .filter((name) => name.startsWith("strace.log"))
    .flatMap((name) => readFileSync(join(workspace.root, name), "utf8").split("\n"))
    .flatMap((line) => {
      const v4 = /inet_addr\("([^"]+)"\)/.exec(line);
      const v6 = /inet_pton\(AF_INET6, "([^"]+)"/.exec(line);
      const host = v4?.[1] ?? v6?.[1];
      return host ? [{ source: "strace", kind: line.includes("sendto(") ? "sendto" : "connect", host }] : [];
    });
}

describe.skipIf(missingModelsReason() !== undefined)(
  "a full ask flow with a local model opens only loopback connections",
  () => {
    beforeAll(() => {
      const added = runAskdb([
        "--data-dir",
        workspace.dataDir,
        "models",
        "add",
        STORIES_MODEL,
        "--id",
        "stories260k",
        "--kind",
        "llm",
      ]);
      expect(added.status, added.stderr).toBe(0);
      const used = runAskdb(["--data-dir", workspace.dataDir, "models", "use", "stories260k"]);
      expect(used.status, used.stderr).toBe(0);
    });

    it(`askdb ask answers with the local model${hasNetns ? " inside a network namespace with only loopback" : ""}`, () => {
      const asked = runAskdb(
        [
          "--data-dir",
          workspace.dataDir,
          "ask",
          "--db",
          workspace.dbPath,
          "--json",
          "how many orders per category?",
        ],
        { loopbackOnly: true },
      );
      tally.tried();
      // stories260K cannot write SQL: a refused or failed answer is fine, a crash is not.
      expect(asked.status === 0 || /"error"/.test(asked.stdout), `${asked.stdout}\n${asked.stderr}`).toBe(
        true,
      );
      expect(asked.stderr).not.toMatch(/TypeError|ReferenceError|at .*\.ts:\d+/);
      expect(asked.stdout, "the local model was not used").not.toContain('"NO_MODEL"');
    });

    it(
      "askdb serve: web UI, status, training, questions, SQL and /v1 with the local model",
      { timeout: 240_000 },
      async () => {
        const server = await startServeProcess({
          dataDir: workspace.dataDir,
          db: workspace.dbPath,
          env,
          wrapper: straceWrapper(),
        });
        try {
          const calls: Array<[string, string, unknown?]> = [
            ["GET", "/"],
            ["GET", "/status"],
            ["GET", "/api/models"],
            ["GET", "/download-progress"],
            [
              "POST",
              "/train",
              {
                training_type: "question_sql",
                question: "how many products are there",
                content: "SELECT count(*) FROM products",
              },
            ],
            ["POST", "/query", { question: "how many products are there" }],
            ["POST", "/query", { question: "what is the average price per category?" }],
            ["POST", "/sql", { sql: "SELECT name, price FROM products ORDER BY price DESC LIMIT 5" }],
            ["GET", "/api/history"],
            ["GET", "/v1/models"],
            [
              "POST",
              "/v1/chat/completions",
              {
                model: "stories260k",
                messages: [{ role: "user", content: "Once upon a time" }],
                max_tokens: 16,
              },
            ],
            ["GET", "/api/settings"],
          ];
          for (const [method, path, json] of calls) {
            tally.tried();
            const response = await server.api(path, { method, json });
            const text = await response.text();
            tally.check(response.status < 500, `${method} ${path}: ${response.status} ${text.slice(0, 200)}`);
          }
        } finally {
          await server.stop();
        }
      },
    );

    it("every destination was loopback", () => {
      const all = destinations();
      const seen = all.filter((d) => d.kind !== "loaded");
      tally.note(
        `${seen.length} connections/lookups/sends seen by ${hasStrace ? "the preload and strace" : "the preload (strace not installed)"}${hasNetns ? ", `askdb ask` also run with only loopback (unshare -n)" : ""} in ${all.filter((d) => d.kind === "loaded").length} node processes; non-IPC: ${[...new Set(seen.filter((d) => d.kind !== "ipc").map((d) => `${d.kind} ${d.host}`))].join(", ") || "none"}`,
      );
      if (hasStrace)
        expect(readdirSync(workspace.root).filter((name) => name.startsWith("strace.log")).length).toBe(
          straceRuns,
        );
      const processes = all.filter((d) => d.kind === "loaded").length;
      expect(
        processes,
        "the recorder was not loaded: is NODE_OPTIONS --import honoured?",
      ).toBeGreaterThanOrEqual(4);
      const outside = all.filter((d) => d.kind !== "ipc" && d.kind !== "loaded" && !isLoopback(d.host));
      tally.check(outside.length === 0, `non-loopback destinations: ${JSON.stringify(outside.slice(0, 10))}`);
    });
  },
);
