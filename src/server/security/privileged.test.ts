/**
 * The holes of the security report, each reproduced against a real askdb server on 127.0.0.1 and a
 * real listener that records every request: without the server's token nothing reaches the
 * listener and no secret leaves; with it, the documented flows still work.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiTestServer, type OpenAiTestServer } from "../../engine/testing/index.js";
import { startTestServer, type ApiInit, type TestServer } from "../testing/harness.js";

const KEY_ENV = "ASKDB_PRIVILEGED_TEST_API_KEY";
const KEY_VALUE = "sk-privileged-test";
const CHAT = { messages: [{ role: "user", content: "hello" }] };

interface ErrorBody {
  error: { code: string; message: string; hint?: string };
}

let t: TestServer;
let listener: OpenAiTestServer;
let outside: string;

beforeAll(async () => {
  process.env[KEY_ENV] = KEY_VALUE;
  listener = await startOpenAiTestServer();
  t = await startTestServer({ askdb: { env: {} } });
  outside = mkdtempSync(join(tmpdir(), "askdb-privileged-outside-"));
});

afterAll(async () => {
  await t?.close();
  await listener?.close();
  rmSync(outside, { recursive: true, force: true });
  delete process.env[KEY_ENV];
});

const patch = (json: unknown): ApiInit => ({ method: "PATCH", json });
const post = (json: unknown): ApiInit => ({ method: "POST", json });

async function bodyOf<T = ErrorBody>(response: Response): Promise<{ status: number; body: T }> {
  return { status: response.status, body: (await response.json()) as T };
}

function sqliteFile(path: string): string {
  new Database(path).exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello')").close();
  return path;
}

describe("1. settings that redirect askdb or name a secret", () => {
  it("without the token, every step of the exfiltration is refused and nothing reaches the listener", async () => {
    const steps = [
      { "openai.url": listener.url },
      { "openai.apiKeyEnv": "HOME" },
      { "backend.order": ["openai", "llamacpp"] },
      { "privacy.allowRemote": true },
      { "ollama.url": listener.origin },
      { "server.allowedOrigins": ["https://evil.example"] },
      { "server.frameAncestors": ["https://evil.example"] },
      { "databases.allowed": [outside] },
    ];
    for (const step of steps) {
      const { status, body } = await bodyOf(await t.apiWithoutToken("/api/settings", patch(step)));
      expect({ status, code: body.error.code }, JSON.stringify(step)).toEqual({
        status: 401,
        code: "UNAUTHORIZED",
      });
      expect(body.error.message).toContain(Object.keys(step)[0]);
      expect(body.error.hint).toMatch(/\?token=/);
    }
    expect((await t.apiWithoutToken("/api/settings", patch({ "openai.model": "x" }))).status).toBe(200);
    const chat = await t.apiWithoutToken("/v1/chat/completions", post(CHAT));
    expect(chat.status).toBe(503);
    expect(listener.requests).toEqual([]);
    expect(t.askdb.settings.getAll()).toMatchObject({
      "openai.url": null,
      "openai.apiKeyEnv": "OPENAI_API_KEY",
      "backend.order": ["llamacpp"],
      "privacy.allowRemote": false,
      "server.allowedOrigins": [],
    });
  });

  it("a change mixing open and privileged settings is refused whole", async () => {
    const response = await t.apiWithoutToken(
      "/api/settings",
      patch({ "engine.threads": 3, "openai.url": listener.url }),
    );
    expect(response.status).toBe(401);
    expect(t.askdb.settings.get("engine.threads")).toBeNull();
  });

  it("with the token, openai.apiKeyEnv may only name an API key variable; the CLI's choice stays free", async () => {
    const home = await bodyOf(await t.api("/api/settings", patch({ "openai.apiKeyEnv": "HOME" })));
    expect(home.status).toBe(403);
    expect(home.body.error).toMatchObject({
      code: "FORBIDDEN",
      hint: expect.stringMatching(/askdb config set/),
    });
    for (const name of ["AWS_SECRET_ACCESS_KEY", "PATH", "_TOKEN", "MY_TOKEN_FILE"]) {
      expect((await t.api("/api/settings", patch({ "openai.apiKeyEnv": name }))).status, name).toBe(403);
    }
    expect((await t.api("/api/settings", patch({ "openai.apiKeyEnv": "GROQ_TOKEN" }))).status).toBe(200);
    t.askdb.settings.set("openai.apiKeyEnv", "HOME"); // what `askdb config set` does
    expect(t.askdb.settings.get("openai.apiKeyEnv")).toBe("HOME");
    t.askdb.settings.reset("openai.apiKeyEnv");
    expect(listener.requests).toEqual([]);
  });

  it("with the token, the documented flow sends the chosen key to the chosen server", async () => {
    const configured = await t.api(
      "/api/settings",
      patch({
        "openai.url": listener.url,
        "openai.model": "test-model",
        "openai.apiKeyEnv": KEY_ENV,
        "backend.order": ["openai", "llamacpp"],
      }),
    );
    expect(configured.status).toBe(200);
    const chat = await t.api("/v1/chat/completions", post(CHAT));
    expect(chat.status, await chat.clone().text()).toBe(200);
    const sent = listener.requests.filter((request) => request.path === "/v1/chat/completions");
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((request) => request.headers.authorization === `Bearer ${KEY_VALUE}`)).toBe(true);
    t.askdb.settings.update({ "backend.order": ["llamacpp"], "openai.url": null });
  });

  it("the browser's way in: ?token= becomes a cookie that authorizes a privileged change", async () => {
    const page = await t.apiWithoutToken(`/?token=${t.server.token}`, { headers: { accept: "text/html" } });
    const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0];
    expect(cookie).toBe(`askdb_token=${t.server.token}`);
    const withCookie = await t.apiWithoutToken("/api/settings", {
      ...patch({ "privacy.historyRetention": "7d" }),
      headers: { cookie, origin: t.url },
    });
    expect(withCookie.status).toBe(200);
    const wrongCookie = await t.apiWithoutToken("/api/settings", {
      ...patch({ "privacy.historyRetention": "1d" }),
      headers: { cookie: "askdb_token=guess" },
    });
    expect(wrongCookie.status).toBe(401);
    expect(t.askdb.settings.get("privacy.historyRetention")).toBe("7d");
  });

  it("models.dir is refused over HTTP with the reason, token or not, and the next download keeps the folder in use", async () => {
    const before = t.askdb.models.modelsDir;
    for (const send of [t.api, t.apiWithoutToken]) {
      const { status, body } = await bodyOf(await send("/api/settings", patch({ "models.dir": outside })));
      expect(status).toBe(403);
      expect(body.error.message).toMatch(/models\.dir cannot be changed over HTTP/);
      expect(body.error.hint).toMatch(/askdb config set models\.dir .*restart/);
    }
    expect(t.askdb.settings.get("models.dir")).toBeNull();
    expect(t.askdb.models.modelsDir).toBe(before);
  });

  it("turning on a flag that adds destinations needs the token; others stay open", async () => {
    const enable = { method: "PATCH", json: { enabled: true } };
    expect((await t.apiWithoutToken("/api/flags/custom_providers", enable)).status).toBe(401);
    expect((await t.apiWithoutToken("/api/flags/mcp_http_servers", enable)).status).toBe(401);
    expect(t.askdb.flags.isEnabled("custom_providers")).toBe(false);
    expect((await t.api("/api/flags/custom_providers", enable)).status).toBe(200);
    const disable = { method: "PATCH", json: { enabled: false } };
    expect((await t.apiWithoutToken("/api/flags/custom_providers", disable)).status).toBe(200);
  });
});

describe("2. databases askdb may open", () => {
  const ownStore = () => join(t.dataDir, "askdb.sqlite");

  it("switching needs the token before anything about the path is looked at", async () => {
    for (const path of [ownStore(), join(outside, "missing.sqlite")]) {
      const { status, body } = await bodyOf(await t.apiWithoutToken("/api/databases/switch", post({ path })));
      expect({ status, code: body.error.code }).toEqual({ status: 401, code: "UNAUTHORIZED" });
    }
  });

  it("with the token, askdb's own store and any file not connected are refused, with one answer whether it exists or not", async () => {
    const existing = sqliteFile(join(outside, "elsewhere.sqlite"));
    const answers = [];
    for (const path of [
      ownStore(),
      join(t.dataDir, "no-such.sqlite"),
      `${t.dataDir}/demo/../askdb.sqlite`,
      existing,
      join(outside, "missing.sqlite"),
      "/etc/passwd",
      "relative/nowhere.sqlite",
    ]) {
      const response = await t.api("/api/databases/switch", post({ path }));
      answers.push({ status: response.status, text: await response.text() });
    }
    expect(new Set(answers.map((answer) => JSON.stringify(answer))).size).toBe(1);
    expect(answers[0].status).toBe(403);
    const current = await bodyOf<{ current: { demo: boolean } }>(await t.api("/api/databases"));
    expect(current.body.current.demo).toBe(true);
    const store = await bodyOf(await t.api("/sql", post({ sql: "SELECT * FROM feature_flags" })));
    expect(store.body.error.code).toBe("SQL_ERROR");
  });

  it("a folder the person allowed can be switched to; a missing file there is then a plain 404", async () => {
    const allowedFolder = join(outside, "allowed");
    mkdirSync(allowedFolder);
    const shop = sqliteFile(join(allowedFolder, "shop.sqlite"));
    expect((await t.api("/api/settings", patch({ "databases.allowed": [allowedFolder] }))).status).toBe(200);
    const switched = await bodyOf<{ path: string }>(
      await t.api("/api/databases/switch", post({ path: shop })),
    );
    expect(switched.status).toBe(200);
    const rows = await bodyOf<{ rows: unknown[][] }>(
      await t.api("/sql", post({ sql: "SELECT body FROM notes" })),
    );
    expect(rows.body.rows).toEqual([["hello"]]);
    const missing = await t.api("/api/databases/switch", post({ path: join(allowedFolder, "gone.sqlite") }));
    expect(missing.status).toBe(404);
    const demo = join(t.dataDir, "demo", "inventory.sqlite");
    expect((await t.api("/api/databases/switch", post({ path: demo }))).status).toBe(200);
  });
});

describe("3. frames and page headers", () => {
  it("every answer, pages and errors alike, forbids framing, sniffing and referrers", async () => {
    for (const [path, init] of [
      ["/", { headers: { accept: "text/html" } }],
      ["/status", {}],
      ["/api/nope", {}],
    ] as const) {
      const response = await t.apiWithoutToken(path, init);
      const policy = response.headers.get("content-security-policy") ?? "";
      expect(policy, path).toContain("frame-ancestors 'none'");
      expect(policy).toContain("script-src 'self'");
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("an embedder the person allowed (with the token) may frame the UI", async () => {
    expect(
      (await t.api("/api/settings", patch({ "server.frameAncestors": ["tauri://localhost"] }))).status,
    ).toBe(200);
    const page = await t.apiWithoutToken("/", { headers: { accept: "text/html" } });
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors tauri://localhost");
    expect(page.headers.get("x-frame-options")).toBeNull();
    t.askdb.settings.reset("server.frameAncestors");
  });
});

describe("4. model downloads from a URL", () => {
  it("without the token nothing is fetched; plain http is refused beyond loopback; with the token a loopback URL is fetched", async () => {
    const modelUrl = `${listener.origin}/files/tiny.gguf`;
    for (const path of ["/api/models/pull", "/download-model"]) {
      const refused = await bodyOf(await t.apiWithoutToken(path, post({ modelId: modelUrl })));
      expect({ status: refused.status, code: refused.body.error.code }).toEqual({
        status: 401,
        code: "UNAUTHORIZED",
      });
    }
    const plainHttp = await bodyOf(
      await t.api("/api/models/pull", post({ modelId: "http://example.com/m.gguf" })),
    );
    expect(plainHttp.status).toBe(400);
    expect(plainHttp.body.error.message).toMatch(/https only/);
    expect(listener.requests.some((request) => request.path.startsWith("/files/"))).toBe(false);

    const started = await t.api("/api/models/pull", post({ modelId: modelUrl }));
    expect(started.status).toBe(202);
    await expect
      .poll(() => listener.requests.some((request) => request.path === "/files/tiny.gguf"), {
        timeout: 10_000,
      })
      .toBe(true);
  });
});
