/**
 * Area 3: HTTP input. Every route of /openapi.json gets property-based (fast-check) bodies, query
 * strings and path ids: no 500, no crash, every error a clear 4xx JSON `{error: {code, message}}`
 * (or the documented 503 when no model is installed). Path traversal in ids and file names is
 * refused; oversized bodies are refused with 413 before the rest of the body is sent. Privileged
 * changes (backends, secrets, privacy, databases, URL downloads, flags) tried without the server's
 * token are all refused, change nothing, and nothing reaches the listener they point at.
 */
import { connect } from "node:net";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiTestServer, type OpenAiTestServer } from "../../src/engine/testing/index.js";
import { startFileServer, type FileServer } from "../../src/models/testing/index.js";
import { SETTING_KEYS, settingMeta } from "../../src/settings/index.js";
import { startTestServer, type TestServer } from "../../src/server/testing/index.js";
import { createWorkspace, damageBetween, type WorkspaceSnapshot } from "./support/fixtures.js";
import { errorCodeOf, parseJson } from "./support/http.js";
import { areaTally } from "./support/tally.js";

const SEED = Number(process.env.ASKDB_RELIABILITY_SEED ?? 20261122);
const RUNS_PER_ROUTE = Number(process.env.ASKDB_RELIABILITY_FUZZ_RUNS ?? 60);
/** 503 is documented for "no model yet" and "busy, retry"; anything else 5xx is damage. */
const DOCUMENTED_503 = new Set(["NO_MODEL", "BUSY", "BACKEND_UNAVAILABLE"]);
const TRAVERSALS = [
  "../../etc/passwd",
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "..%252F..%252Fetc%252Fpasswd",
  "....//....//etc/passwd",
  "..\\..\\windows\\win.ini",
  "/etc/passwd",
  "%2Fetc%2Fpasswd",
  "..%00/etc/passwd",
];
const HOSTILE_STRINGS = [
  ...TRAVERSALS,
  "",
  " ",
  "\u0000",
  "x".repeat(5000),
  "'; DROP TABLE products; --",
  "hf:../../../etc/passwd",
  "hf:owner/repo/../../../../etc/passwd.gguf",
  "file:///etc/passwd",
  "http://127.0.0.1:9/x.gguf",
  "__proto__",
  "constructor",
];

interface Operation {
  method: string;
  path: string;
  bodyProperties: string[];
  queryParameters: string[];
  pathParameters: string[];
}

const workspace = createWorkspace("fuzz");
const tally = areaTally("3. HTTP input");
let server: TestServer;
let hub: FileServer;
let operations: Operation[] = [];
let baseline: WorkspaceSnapshot;

beforeAll(async () => {
  // A pull that fuzzing happens to start must not leave the machine: the "hub" is a local one with no repositories.
  hub = await startFileServer({ hfRepos: {} });
  process.env.ASKDB_HF_BASE_URL = hub.url;
  server = await startTestServer({ askdb: { db: workspace.dbPath, env: {} } });
  operations = operationsOf((await (await server.api("/openapi.json")).json()) as OpenApiDoc);
  baseline = workspace.snapshot();
});

afterAll(async () => {
  await server?.close();
  await hub?.close();
  workspace.remove();
});

interface OpenApiDoc {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ in: string; name: string }>;
        requestBody?: { content?: Record<string, { schema?: SchemaObject }> };
      }
    >
  >;
  components?: { schemas?: Record<string, SchemaObject> };
}

interface SchemaObject {
  $ref?: string;
  properties?: Record<string, unknown>;
}

function operationsOf(doc: OpenApiDoc): Operation[] {
  const resolve = (schema: SchemaObject | undefined): SchemaObject | undefined =>
    schema?.$ref ? doc.components?.schemas?.[schema.$ref.split("/").pop() ?? ""] : schema;
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      bodyProperties: Object.keys(
        resolve(op.requestBody?.content?.["application/json"]?.schema)?.properties ?? {},
      ),
      queryParameters: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name),
      pathParameters: (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name),
    })),
  );
}

/** One request; returns what is wrong with the answer, or undefined when it is a clear answer. */
async function problemWith(
  method: string,
  path: string,
  init: { body?: string; contentType?: string } = {},
): Promise<string | undefined> {
  const abort = new AbortController();
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers["content-type"] = init.contentType ?? "application/json";
  const response = await server.api(path, { method, headers, body: init.body, signal: abort.signal });
  if ((response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    abort.abort();
    return response.status === 200 ? undefined : `event stream with status ${response.status}`;
  }
  const text = await response.text();
  if (response.status < 400) return undefined;
  tally.refused();
  const body = parseJson(text);
  if (body === undefined) return `${response.status} with a body that is not JSON: ${text.slice(0, 120)}`;
  const code = errorCodeOf(body);
  if (!code) return `${response.status} without a clear {error: {code, message}}: ${text.slice(0, 160)}`;
  if (response.status >= 500 && !(response.status === 503 && DOCUMENTED_503.has(code)))
    return `${response.status} ${code}: ${text.slice(0, 200)}`;
  return undefined;
}

const hostileString = fc.constantFrom(...HOSTILE_STRINGS);
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  hostileString,
  fc.string({ unit: "binary", maxLength: 200 }),
);

function bodyArbitrary(op: Operation): fc.Arbitrary<{ body: string; contentType?: string }> {
  const shaped =
    op.bodyProperties.length > 0
      ? fc.dictionary(fc.constantFrom(...op.bodyProperties), anyValue, { maxKeys: op.bodyProperties.length })
      : fc.constant({});
  return fc.oneof(
    fc.record({
      body: fc.oneof(shaped, fc.jsonValue({ maxDepth: 3 })).map((value) => JSON.stringify(value)),
    }),
    fc.record({ body: fc.string({ unit: "binary", maxLength: 300 }) }),
    fc.record({ body: fc.constantFrom("{", '{"a":', "[1,2", "null", '"\\ud800"', "{}".repeat(2000)) }),
    fc.record({
      body: fc.constant('{"question":"x"}'),
      contentType: fc.constantFrom(
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
      ),
    }),
  );
}

function fillPath(op: Operation, value: string): string {
  return op.pathParameters.reduce((path, name) => path.replace(`{${name}}`, value), op.path);
}

const pathValue = fc.oneof(
  fc.constantFrom(...TRAVERSALS),
  fc.string({ maxLength: 60 }).map(encodeURIComponent),
  fc.string({ unit: "binary", maxLength: 40 }).map(encodeURIComponent),
);

describe("property-based fuzzing of every route", () => {
  it("the OpenAPI document lists the routes", () => {
    expect(operations.length).toBeGreaterThan(20);
    tally.note(
      `${operations.length} routes from /openapi.json, ${RUNS_PER_ROUTE} runs each for body, query and path; seed ${SEED}`,
    );
  });

  it(
    "bodies, query strings and path ids never get a 500 or an unclear error",
    { timeout: 300_000 },
    async () => {
      for (const op of operations) {
        const basePath = () => fillPath(op, "x");
        const bodies: fc.Arbitrary<{ body?: string; contentType?: string }> = [
          "POST",
          "PUT",
          "PATCH",
        ].includes(op.method)
          ? bodyArbitrary(op)
          : fc.constant({});
        await fc.assert(
          fc.asyncProperty(bodies, async ({ body, contentType }) => {
            tally.tried();
            const problem = await problemWith(op.method, basePath(), { body, contentType });
            tally.check(
              problem === undefined,
              `${op.method} ${op.path} body ${String(body).slice(0, 80)}: ${problem}`,
            );
          }),
          { numRuns: RUNS_PER_ROUTE, seed: SEED },
        );
        const queryNames = [...op.queryParameters, "limit", "offset", "q", "__proto__"];
        await fc.assert(
          fc.asyncProperty(
            fc.dictionary(
              fc.constantFrom(...queryNames),
              fc.oneof(fc.string({ maxLength: 40 }), hostileString, fc.integer().map(String)),
            ),
            async (query) => {
              tally.tried();
              const search = new URLSearchParams(query).toString();
              const problem = await problemWith(
                op.method === "GET" ? "GET" : op.method,
                `${basePath()}?${search}`,
                op.method === "GET" ? {} : { body: "{}" },
              );
              tally.check(
                problem === undefined,
                `${op.method} ${op.path}?${search.slice(0, 80)}: ${problem}`,
              );
            },
          ),
          { numRuns: Math.ceil(RUNS_PER_ROUTE / 2), seed: SEED },
        );
        if (op.pathParameters.length === 0) continue;
        await fc.assert(
          fc.asyncProperty(pathValue, async (value) => {
            tally.tried();
            const problem = await problemWith(
              op.method,
              fillPath(op, value),
              op.method === "GET" || op.method === "DELETE" ? {} : { body: "{}" },
            );
            tally.check(
              problem === undefined,
              `${op.method} ${fillPath(op, value).slice(0, 100)}: ${problem}`,
            );
          }),
          { numRuns: RUNS_PER_ROUTE, seed: SEED },
        );
      }
    },
  );

  it("nothing was written beside the database or in the temp folder, and the server still answers", async () => {
    for (const damage of damageBetween(baseline, workspace.snapshot())) tally.check(false, damage);
    expect((await server.api("/health")).status).toBe(200);
  });
});

describe("path traversal", () => {
  const ids = [
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2F%2e%2e%2Fetc%2Fpasswd",
    "..%252F..%252Fetc%252Fpasswd",
    "..%5C..%5Cetc%5Cpasswd",
  ];

  it.each(ids)("ids %s in every {id} route are refused", async (id) => {
    for (const op of operations.filter((o) => o.pathParameters.length > 0)) {
      tally.tried();
      const response = await server.api(fillPath(op, id), {
        method: op.method,
        ...(op.method === "PATCH" || op.method === "POST" ? { json: { enabled: true } } : {}),
      });
      const text = await response.text();
      const refused = response.status >= 400 && response.status < 500 && !text.includes("root:");
      if (refused) tally.refused();
      tally.check(refused, `${op.method} ${fillPath(op, id)}: ${response.status} ${text.slice(0, 120)}`);
    }
  });

  it.each([
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/assets/..%2f..%2f..%2fpackage.json",
    "/..%5c..%5cpackage.json",
    "/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
  ])("static file %s is not served from outside the web root", async (path) => {
    tally.tried();
    const response = await server.api(path);
    const text = await response.text();
    const leaked = text.includes("root:x:0:0") || text.includes('"devDependencies"');
    if (!leaked) tally.refused();
    tally.check(!leaked && response.status < 500, `GET ${path}: ${response.status} ${text.slice(0, 120)}`);
  });

  const modelNames = [
    "hf:../../../etc/passwd",
    "hf:owner/repo/../../../../etc/passwd.gguf",
    "hf:owner/..@main/evil.gguf",
    "hf:owner/repo/..%2F..%2Fevil.gguf",
    "http://127.0.0.1:9/models/..%2F..%2F..%2Fevil.gguf",
    "http://127.0.0.1:9/models/..%5C..%5Cevil.gguf",
    "http://127.0.0.1:9/models/%E0%A4%A.gguf",
    "../../etc/passwd",
    "file:///etc/passwd",
  ];

  it.each(modelNames)("model file name %s is refused", async (modelId) => {
    tally.tried();
    const response = await server.api("/api/models/pull", { method: "POST", json: { modelId } });
    const text = await response.text();
    const refused =
      response.status >= 400 && response.status < 500 && errorCodeOf(JSON.parse(text)) !== undefined;
    if (refused) tally.refused();
    tally.check(refused, `pull ${modelId}: ${response.status} ${text.slice(0, 160)}`);
  });

  it.each(["../../etc/passwd", "/etc/passwd", "/proc/self/environ", workspace.dataDir, "."])(
    "switching the database to %s is refused",
    async (path) => {
      tally.tried();
      const response = await server.api("/api/databases/switch", { method: "POST", json: { path } });
      const text = await response.text();
      const refused =
        response.status >= 400 && response.status < 500 && errorCodeOf(JSON.parse(text)) !== undefined;
      if (refused) tally.refused();
      tally.check(refused, `switch to ${path}: ${response.status} ${text.slice(0, 160)}`);
    },
  );
});

describe("oversized bodies", () => {
  it.each([
    ["POST /sql, 50 MB declared", "/sql", 50 * 1024 * 1024],
    ["POST /query, 2 MB declared", "/query", 2 * 1024 * 1024],
    ["POST /train, 200 MB declared", "/train", 200 * 1024 * 1024],
  ])("%s: 413 before the body is sent", async (_label, path, length) => {
    tally.tried();
    const answer = await sendPartialBody(path, { "content-length": String(length) }, 4096);
    tally.check(
      answer.startsWith("HTTP/1.1 413"),
      `${path}: answered ${answer.split("\r\n")[0] || "nothing"} to a ${length}-byte body after 4 KB`,
    );
    tally.refused();
    expect(answer).toContain('"PAYLOAD_TOO_LARGE"');
  });

  it("a chunked body is cut off with 413 once it passes the limit", async () => {
    tally.tried();
    const answer = await sendChunkedUntilAnswered("/sql", 64 * 1024, 4 * 1024 * 1024);
    tally.check(
      answer.status.startsWith("HTTP/1.1 413"),
      `chunked /sql: ${answer.status} after ${answer.sentBytes} bytes`,
    );
    tally.refused();
    expect(answer.sentBytes).toBeLessThan(3 * 1024 * 1024);
  });
});

function requestHead(path: string, headers: Record<string, string>): string {
  const url = new URL(server.url);
  const lines = [
    `POST ${path} HTTP/1.1`,
    `host: ${url.host}`,
    "content-type: application/json",
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  if (server.server.token) lines.push(`authorization: Bearer ${server.server.token}`);
  return `${lines.join("\r\n")}\r\n\r\n`;
}

/** Declares a large body, sends only `sendBytes` of it, and returns what the server answers meanwhile. */
function sendPartialBody(path: string, headers: Record<string, string>, sendBytes: number): Promise<string> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(answer);
    }, 10_000);
    socket.on("data", (chunk) => {
      answer += chunk.toString("utf8");
      if (answer.includes("\r\n\r\n") && answer.includes("}")) {
        clearTimeout(timer);
        socket.destroy();
        resolve(answer);
      }
    });
    socket.on("error", reject);
    socket.write(requestHead(path, headers));
    socket.write(Buffer.alloc(sendBytes, "a"));
  });
}

/** Streams a chunked body until the server answers (or `maxBytes`); returns the status line and bytes sent. */
function sendChunkedUntilAnswered(
  path: string,
  chunkBytes: number,
  maxBytes: number,
): Promise<{ status: string; sentBytes: number }> {
  const url = new URL(server.url);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    let answer = "";
    let sentBytes = 0;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      socket.destroy();
      resolve({ status: answer.split("\r\n")[0], sentBytes });
    };
    socket.on("data", (chunk) => {
      answer += chunk.toString("utf8");
      if (answer.includes("\r\n\r\n")) finish();
    });
    socket.on("error", finish);
    socket.on("close", finish);
    socket.write(requestHead(path, { "transfer-encoding": "chunked" }));
    const chunk = Buffer.alloc(chunkBytes, "a");
    const pump = () => {
      if (finished) return;
      if (sentBytes >= maxBytes) return void setTimeout(finish, 2000);
      sentBytes += chunkBytes;
      socket.write(`${chunkBytes.toString(16)}\r\n`);
      socket.write(chunk);
      socket.write("\r\n", () => setTimeout(pump, 5));
    };
    pump();
  });
}

describe("privileged changes without the token", () => {
  const privilegedTally = areaTally("3. privileged changes without the token");
  let listener: OpenAiTestServer;
  beforeAll(async () => {
    listener = await startOpenAiTestServer();
  });
  afterAll(() => listener?.close());

  interface Attempt {
    method: string;
    path: string;
    body: unknown;
  }

  /** Every privileged operation, with inputs that would do harm if they were accepted. */
  function attempts(): fc.Arbitrary<Attempt> {
    const harmful = fc.constantFrom<unknown>(
      listener.url,
      listener.origin,
      "HOME",
      "OPENAI_API_KEY",
      true,
      ["openai", "llamacpp"],
      ["ollama"],
      [workspace.root],
      [server.dataDir],
      ["https://evil.example"],
      "forever",
      "session",
      workspace.root,
      null,
    );
    const keysWith = (access: (http: string) => boolean) =>
      fc.constantFrom(...SETTING_KEYS.filter((key) => access(settingMeta[key].http)));
    const settings = fc
      .record({
        privileged: fc.dictionary(
          keysWith((http) => http !== "open"),
          harmful,
          { minKeys: 1, maxKeys: 4 },
        ),
        open: fc.dictionary(
          keysWith((http) => http === "open"),
          fc.jsonValue({ maxDepth: 1 }),
          { maxKeys: 2 },
        ),
      })
      .map(({ privileged, open }) => ({
        method: "PATCH",
        path: "/api/settings",
        body: { ...open, ...privileged },
      }));
    const switchTo = fc
      .oneof(
        fc.constantFrom(
          join(server.dataDir, "askdb.sqlite"),
          workspace.dbPath,
          server.dataDir,
          ...TRAVERSALS,
        ),
        fc.string({ maxLength: 60 }),
      )
      .map((path) => ({ method: "POST", path: "/api/databases/switch", body: { path } }));
    const pull = fc
      .record({
        path: fc.constantFrom("/api/models/pull", "/download-model"),
        modelId: fc.constantFrom(
          `${listener.origin}/m.gguf`,
          `HTTP://127.0.0.1:${new URL(listener.origin).port}/x.gguf`,
          ` http://localhost:${new URL(listener.origin).port}/y.gguf`,
          "https://example.com/m.gguf",
        ),
      })
      .map(({ path, modelId }) => ({ method: "POST", path, body: { modelId } }));
    const flag = fc
      .record({
        id: fc.constantFrom("custom_providers", "mcp_http_servers"),
        withPrerequisites: fc.boolean(),
      })
      .map(({ id, withPrerequisites }) => ({
        method: "PATCH",
        path: `/api/flags/${id}`,
        body: { enabled: true, withPrerequisites },
      }));
    return fc.oneof(settings, switchTo, pull, flag);
  }

  interface Credentials {
    headers: Record<string, string>;
    query: string;
  }

  /** No token, a wrong one in each place a token is read, or the real one where it is not taken (a POST's query). */
  function credentials(): fc.Arbitrary<Credentials> {
    const token = server.server.token;
    return fc.constantFrom<Credentials>(
      { headers: {}, query: "" },
      { headers: { authorization: "Bearer wrong-token" }, query: "" },
      { headers: { authorization: `Bearer ${token.slice(0, -1)}` }, query: "" },
      { headers: { authorization: `Basic ${Buffer.from(`askdb:${token}`).toString("base64")}` }, query: "" },
      { headers: { cookie: "askdb_token=wrong-token" }, query: "" },
      { headers: { "x-askdb-token": token }, query: "" },
      { headers: { origin: server.url }, query: `?token=${token}` },
    );
  }

  it("are all refused, change nothing, and send nothing anywhere", { timeout: 300_000 }, async () => {
    const settingsBefore = server.askdb.settings.getAll();
    const databaseBefore = server.askdb.database().path;
    const downloadsBefore = server.askdb.models.downloads.list().length;
    let tried = 0;
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(attempts(), credentials(), async (attempt, { headers, query }) => {
        tried += 1;
        privilegedTally.tried();
        const response = await fetch(`${server.url}${attempt.path}${query}`, {
          method: attempt.method,
          headers: { "content-type": "application/json", ...headers },
          body: JSON.stringify(attempt.body),
        });
        const text = await response.text();
        const refused =
          response.status >= 400 && response.status < 500 && errorCodeOf(parseJson(text)) !== undefined;
        if (refused) privilegedTally.refused();
        else accepted += 1;
        privilegedTally.check(
          refused,
          `${attempt.method} ${attempt.path} ${JSON.stringify(attempt.body).slice(0, 120)} with ${JSON.stringify(headers)}${query ? " and ?token=" : ""}: ${response.status} ${text.slice(0, 120)}`,
        );
      }),
      { numRuns: RUNS_PER_ROUTE * 5, seed: SEED },
    );
    privilegedTally.note(`privileged changes tried without the token: ${tried}, accepted: ${accepted}`);
    privilegedTally.check(
      JSON.stringify(server.askdb.settings.getAll()) === JSON.stringify(settingsBefore),
      "a setting changed",
    );
    privilegedTally.check(server.askdb.database().path === databaseBefore, "the database was switched");
    privilegedTally.check(
      !server.askdb.flags.isEnabled("custom_providers"),
      "custom_providers was turned on",
    );
    privilegedTally.check(
      !server.askdb.flags.isEnabled("mcp_http_servers"),
      "mcp_http_servers was turned on",
    );
    privilegedTally.check(
      server.askdb.models.downloads.list().length === downloadsBefore,
      "a download was started",
    );
    privilegedTally.check(
      listener.requests.length === 0,
      `the listener received ${listener.requests.length} request(s)`,
    );
  });
});
