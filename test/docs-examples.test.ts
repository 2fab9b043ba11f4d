/**
 * Every `npx askdb …` command and HTTP request shown in README.md and docs/*.md, run against the
 * demo as a reader would: the commands through the real CLI, the requests against a real server.
 * What needs a model, a network or the reader's own files is listed as skipped, with the reason.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAskDb } from "../src/app/index.js";
import { createLogger, startServer, type RunningServer } from "../src/server/index.js";
import { REPO_ROOT, runAskdb, type CliRun } from "../src/server/testing/index.js";
import { getExamples, shellExamples, type ShellExample } from "./support/doc-examples.js";

const DOC_HOST = "http://127.0.0.1:8765";
const PAGES = ["README.md", ...readdirSync(join(REPO_ROOT, "docs")).map((name) => `docs/${name}`)].filter(
  (page) => page.endsWith(".md"),
);

/** Why an example is not run here; the first rule that matches names it. */
const SKIPPED: Array<{ reason: string; matches: (argv: string[]) => boolean }> = [
  {
    reason:
      "uses the reader's own files (a database, a training folder, a model file, an earlier run's results)",
    matches: (argv) => argv.some((word) => /^(\.\/|\/data\/|~)|\.jsonl?$/.test(word)),
  },
  { reason: "downloads a model (network)", matches: (argv) => argv.includes("pull") },
  { reason: "needs an Ollama server", matches: (argv) => argv.includes("ollama") },
  {
    reason: "acts on an installed model (the demo has none)",
    matches: (argv) => argv[2] === "models" && ["use", "rm"].includes(argv[3]),
  },
  {
    reason: "starts a server that runs until stopped; the HTTP examples below use one",
    matches: (argv) => argv[2] === "serve",
  },
  {
    reason: "needs a model to answer",
    matches: (argv) => argv.some((word) => word.endsWith("/v1/chat/completions")),
  },
  {
    reason: "measures a model's accuracy (npm run models:eval-fetch installs the models)",
    matches: (argv) => argv[2] === "eval" && argv.some((word) => word === "--model" || word === "…"),
  },
  {
    reason: "names an answer of the reader's (a history id)",
    matches: (argv) => argv.some((word) => word.endsWith("/api/feedback")),
  },
];

const isAskdb = (example: ShellExample) => example.argv[0] === "npx" && example.argv[1] === "askdb";
const isCurl = (example: ShellExample) => example.argv[0] === "curl";
const examples = PAGES.flatMap((page) => shellExamples(REPO_ROOT, page)).filter(
  (example) => isAskdb(example) || isCurl(example),
);
const skipReasonOf = (example: ShellExample) => SKIPPED.find((rule) => rule.matches(example.argv))?.reason;
const commands = examples.filter((example) => isAskdb(example) && !skipReasonOf(example));
const requests = examples.filter((example) => isCurl(example) && !skipReasonOf(example));
const gets = PAGES.flatMap((page) => getExamples(REPO_ROOT, page));

/** Changes to settings run in a data dir of their own, so they cannot affect the other examples. */
const changesSettings = (argv: string[]) => argv[2] === "config" && ["set", "reset"].includes(argv[3]);

const dataDir = mkdtempSync(join(tmpdir(), "askdb-docs-examples-"));
const runs = new Map<string, Promise<CliRun>>();
let server: RunningServer;
let closeAskdb: () => Promise<void>;

/** The CLI runs each distinct command once, two at a time (other examples repeat it). */
function runCommand(example: ShellExample): Promise<CliRun> {
  const key = example.argv.join("\u0000");
  if (!runs.has(key)) {
    const dir = changesSettings(example.argv)
      ? mkdtempSync(join(dataDir, "settings-"))
      : join(dataDir, "demo");
    runs.set(
      key,
      inTurn(() => runAskdb(dir, ...example.argv.slice(2))),
    );
  }
  return runs.get(key)!;
}

/** Two CLI processes at a time: each is a Node process compiling TypeScript. */
const inTurn = slots(2);

function slots(count: number): <T>(task: () => Promise<T>) => Promise<T> {
  let free = count;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free -= 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free += 1;
    }
  };
}

/** A curl command line as a fetch against the test server: -s, -H, -d and -X. */
function fetchOf(argv: string[]): Promise<Response> {
  const headers: Record<string, string> = {};
  let body: string | undefined;
  let method: string | undefined;
  let url: string | undefined;
  for (let i = 1; i < argv.length; i += 1) {
    const word = argv[i];
    if (word === "-s") continue;
    else if (word === "-H") {
      const [name, ...value] = argv[++i].split(":");
      headers[name.trim()] = value.join(":").trim();
    } else if (word === "-d") body = argv[++i];
    else if (word === "-X") method = argv[++i];
    else if (word.startsWith(DOC_HOST)) url = server.url + word.slice(DOC_HOST.length);
    else throw new Error(`the test does not know curl's ${word}; teach fetchOf`);
  }
  if (!url) throw new Error(`no ${DOC_HOST} address in ${argv.join(" ")}`);
  return fetch(url, { method: method ?? (body === undefined ? "GET" : "POST"), headers, body });
}

const tableRows = (stdout: string) => stdout.split("\n").filter((line) => line.startsWith("│")).length - 1;

beforeAll(async () => {
  const askdb = await createAskDb({ dataDir: join(dataDir, "demo") });
  closeAskdb = () => askdb.close();
  server = await startServer({ askdb, host: "127.0.0.1", port: 0, logger: createLogger("silent") });
  for (const example of commands) void runCommand(example);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await closeAskdb?.();
  await Promise.allSettled(runs.values());
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the docs' examples run on the demo", () => {
  for (const example of examples.filter((e) => skipReasonOf(e)))
    it.skip(`${example.where} ${example.text} (skipped: ${skipReasonOf(example)})`, () => {});

  for (const example of commands)
    it(`${example.where} ${example.text}`, async () => {
      const { code, stdout, stderr } = await runCommand(example);
      expect({ code, stderr }).toMatchObject({ code: 0 });
      if (["sql", "ask"].includes(example.argv[2])) expect(tableRows(stdout)).toBeGreaterThan(0);
    });

  for (const example of requests)
    it(`${example.where} ${example.text}`, async () => {
      const response = await fetchOf(example.argv);
      const body = (await response.json()) as { rows?: unknown[] };
      expect({ status: response.status, body }).toMatchObject({ status: 200 });
      expect(body.rows?.length).toBeGreaterThan(0);
    });

  for (const { where, path } of gets)
    it(`${where} GET ${path}`, async () => {
      const response = await fetch(server.url + path);
      await response.body?.cancel();
      expect(response.status).toBe(200);
    });
});
