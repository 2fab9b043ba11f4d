import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { TOKEN_COOKIE, tokenGuard } from "./token.js";

const TOKEN = "t".repeat(32);

function appWith(everywhere: boolean): Hono {
  const app = new Hono();
  app.use("*", tokenGuard({ token: TOKEN, everywhere }));
  app.get("/health", (c) => c.text("ok"));
  app.all("/who", (c) => c.json({ holdsToken: c.get("holdsToken") }));
  return app;
}

async function holds(app: Hono, path: string, init?: RequestInit): Promise<boolean> {
  return ((await (await app.request(path, init)).json()) as { holdsToken: boolean }).holdsToken;
}

describe("tokenGuard", () => {
  it("on loopback lets everyone through and records who holds the token (header, cookie or ?token= on GET)", async () => {
    const app = appWith(false);
    expect(await holds(app, "/who")).toBe(false);
    expect(await holds(app, "/who", { headers: { authorization: `Bearer ${TOKEN}` } })).toBe(true);
    expect(await holds(app, "/who", { headers: { cookie: `${TOKEN_COOKIE}=${TOKEN}` } })).toBe(true);
    expect(await holds(app, `/who?token=${TOKEN}`)).toBe(true);
    expect(await holds(app, `/who?token=${TOKEN}`, { method: "POST" })).toBe(false);
    expect(await holds(app, "/who", { headers: { authorization: "Bearer nope" } })).toBe(false);
  });

  it("trades ?token= for an HttpOnly same-site cookie, even over a stale cookie of another askdb", async () => {
    const response = await appWith(false).request(`/who?token=${TOKEN}`, {
      headers: { cookie: `${TOKEN_COOKIE}=from-another-server` },
    });
    expect(await response.json()).toEqual({ holdsToken: true });
    const cookie = response.headers.get("set-cookie") ?? "";
    expect(cookie).toContain(`${TOKEN_COOKIE}=${TOKEN}`);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await appWith(false).request("/who?token=wrong")).headers.get("set-cookie")).toBeNull();
  });

  it("beyond loopback refuses every route but /health without the token: a page for browsers, JSON otherwise", async () => {
    const app = appWith(true);
    expect((await app.request("/health")).status).toBe(200);
    const json = await app.request("/who");
    expect(json.status).toBe(401);
    expect(await json.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    const page = await app.request("/who", { headers: { accept: "text/html" } });
    expect(page.status).toBe(401);
    expect(await page.text()).toMatch(/\?token=/);
    expect(await holds(app, "/who", { headers: { authorization: `Bearer ${TOKEN}` } })).toBe(true);
  });
});
