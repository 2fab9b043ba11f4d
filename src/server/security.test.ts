import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, startTestServer, type TestServer } from "./testing/harness.js";

describe("server security on loopback", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
    t.askdb.settings.set("server.allowedOrigins", ["tauri://localhost"]);
  });
  afterAll(() => t.close());

  it("answers /health without a token", async () => {
    const response = await t.api("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ok" });
  });

  it("refuses a foreign Host header (DNS rebinding)", async () => {
    const response = await rawRequest(`${t.url}/health`, { headers: { host: "evil.example:8765" } });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
  });

  it("accepts localhost and 127.0.0.1 in Host", async () => {
    for (const host of [`localhost:${t.server.port}`, `127.0.0.1:${t.server.port}`, "[::1]:1"]) {
      expect((await rawRequest(`${t.url}/health`, { headers: { host } })).status).toBe(200);
    }
  });

  it("refuses a foreign Origin and never answers with *", async () => {
    const response = await t.api("/health", { headers: { origin: "https://evil.example" } });
    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows the same origin and an origin from server.allowedOrigins, with a preflight", async () => {
    const same = await t.api("/health", { headers: { origin: t.url } });
    expect(same.status).toBe(200);
    expect(same.headers.get("access-control-allow-origin")).toBe(t.url);
    const preflight = await t.api("/query", {
      method: "OPTIONS",
      headers: {
        origin: "tauri://localhost",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("tauri://localhost");
    const foreignPreflight = await t.api("/query", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(foreignPreflight.status).toBe(403);
  });

  it("answers unknown routes with a JSON 404", async () => {
    const response = await t.api("/api/nope");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("refuses bodies that are not JSON, malformed JSON and oversized bodies", async () => {
    const form = await t.api("/query", {
      method: "POST",
      body: "question=hi",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.status).toBe(400);
    expect(((await form.json()) as { error: { message: string } }).error.message).toMatch(/must be JSON/);
    const malformed = await t.api("/query", {
      method: "POST",
      body: "{nope",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { message: string } }).error.message).toMatch(
      /not valid JSON/,
    );
    const huge = await t.api("/query", { method: "POST", json: { question: "x".repeat(2 * 1024 * 1024) } });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
  });
});

describe("server shutdown", () => {
  it("ends open event streams and stops listening", async () => {
    const t = await startTestServer();
    const events = await t.api("/api/downloads/events");
    const reader = events.body!.getReader();
    const closing = t.close();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      // drain until the server ends the stream
    }
    await closing;
    await expect(fetch(`${t.url}/health`)).rejects.toThrow();
  });
});

describe("server security beyond loopback", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ server: { host: "0.0.0.0" } });
  });
  afterAll(() => t.close());

  it("uses the installation's token and requires it on every route but /health", async () => {
    expect(t.server.token.length).toBeGreaterThanOrEqual(32);
    expect(t.server.tokenEverywhere).toBe(true);
    expect(t.server.tokenFile).toBe(join(t.dataDir, "server-token"));
    expect((await fetch(`${t.url}/health`)).status).toBe(200);
    const without = await fetch(`${t.url}/status`);
    expect(without.status).toBe(401);
    expect(await without.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    const wrong = await fetch(`${t.url}/status`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect((await t.api("/status")).status).toBe(200);
  });

  it("turns ?token= into a same-site cookie for the web UI", async () => {
    const response = await fetch(`${t.url}/status?token=${t.server.token}`);
    expect(response.status).toBe(200);
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/askdb_token=/);
    expect(cookie).toMatch(/HttpOnly/i);
    const withCookie = await fetch(`${t.url}/status`, { headers: { cookie: cookie.split(";")[0] } });
    expect(withCookie.status).toBe(200);
  });
});
