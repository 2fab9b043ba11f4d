import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./testing/harness.js";

describe("the web UI and hostile input", () => {
  let webRoot: string;
  let t: TestServer;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), "askdb-web-"));
    mkdirSync(join(webRoot, "assets"));
    writeFileSync(join(webRoot, "index.html"), "<!doctype html><title>askdb ui</title><div id=root></div>");
    writeFileSync(join(webRoot, "assets", "app.js"), "console.log('askdb');");
    t = await startTestServer({ server: { webRoot } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it("serves index.html, assets, and index.html for client-side routes", async () => {
    const index = await t.api("/", { headers: { accept: "text/html" } });
    expect(await index.text()).toMatch(/askdb ui/);
    const asset = await t.api("/assets/app.js");
    expect(asset.headers.get("content-type")).toMatch(/javascript/);
    const route = await t.api("/models", { headers: { accept: "text/html" } });
    expect(route.status).toBe(200);
    expect(await route.text()).toMatch(/askdb ui/);
    expect((await t.api("/api/nope", { headers: { accept: "text/html" } })).status).toBe(404);
    expect((await t.api("/assets/missing.js")).status).toBe(404);
    expect((await t.api("/assets/..%2F..%2Fetc%2Fpasswd")).status).toBe(404);
  });

  it("serves the docs/ pages as markdown and nothing else", async () => {
    const page = await t.api("/docs/api.md", { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(await page.text()).toMatch(/GET \/health/);
    for (const path of [
      "/docs/nope.md",
      "/docs/API.md",
      "/docs/..%2Fpackage.json",
      "/docs/..%2F..%2Fetc%2Fpasswd",
      "/docs/api.md.bak",
      "/docs/.md",
    ]) {
      const response = await t.api(path, { headers: { accept: "text/html" } });
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    }
  });

  it("answers any JSON body on any endpoint with a clear 4xx, never a 500", async () => {
    const endpoints: Array<[string, string]> = [
      ["POST", "/query"],
      ["POST", "/sql"],
      ["POST", "/train"],
      ["POST", "/cancel-download"],
      ["POST", "/api/knowledge"],
      ["POST", "/api/feedback"],
      ["PATCH", "/api/settings"],
      ["PATCH", "/api/flags/auto_models"],
      ["POST", "/api/databases/switch"],
      ["POST", "/v1/chat/completions"],
      ["POST", "/v1/embeddings"],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        fc.jsonValue({ maxDepth: 3 }),
        async ([method, path], body) => {
          const response = await t.api(path, { method, json: body });
          const payload = (await response.json()) as { error?: { code: string; message: string } };
          // 503 is the documented "no model yet" answer of the endpoints that need one.
          expect(
            response.status < 500 || response.status === 503,
            `${method} ${path} ${JSON.stringify(body)} → ${response.status}`,
          ).toBe(true);
          if (response.status >= 400) expect(payload.error?.message).toBeTruthy();
        },
      ),
      { numRuns: 150 },
    );
  });

  it("refuses odd paths and ids with a 4xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 40 }), async (id) => {
        const response = await t.api(`/api/knowledge/${encodeURIComponent(id)}`, { method: "DELETE" });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});

describe("the web UI behind a token", () => {
  let webRoot: string;
  let t: TestServer;
  beforeAll(async () => {
    webRoot = mkdtempSync(join(tmpdir(), "askdb-web-"));
    mkdirSync(join(webRoot, "assets"));
    writeFileSync(
      join(webRoot, "index.html"),
      '<!doctype html><title>askdb ui</title><script src="./assets/app.js"></script>',
    );
    writeFileSync(join(webRoot, "assets", "app.js"), "console.log('askdb');");
    t = await startTestServer({ server: { webRoot, token: "secret-token" } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(webRoot, { recursive: true, force: true });
  });

  it("lets a browser in with ?token=: the page sets a cookie and its assets, API and help pages then load", async () => {
    const refused = await fetch(`${t.url}/`, { headers: { accept: "text/html" } });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(/\?token=/);
    expect((await fetch(`${t.url}/assets/app.js`)).status).toBe(401);

    const page = await fetch(`${t.url}/?token=secret-token`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/askdb ui/);
    const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0];
    expect(cookie).toBe("askdb_token=secret-token");

    const asset = await fetch(`${t.url}/assets/app.js`, { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(await asset.text()).toMatch(/askdb/);
    expect((await fetch(`${t.url}/status`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${t.url}/docs/api.md`, { headers: { cookie } })).status).toBe(200);
    expect((await fetch(`${t.url}/models`, { headers: { cookie, accept: "text/html" } })).status).toBe(200);
    expect((await fetch(`${t.url}/?token=wrong`, { headers: { accept: "text/html" } })).status).toBe(401);
  });
});
