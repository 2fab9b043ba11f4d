import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "./headers.js";

function appWith(embedders: string[]): Hono {
  const app = new Hono();
  app.use(
    "*",
    securityHeaders(() => embedders),
  );
  app.get("/", (c) => c.html("<!doctype html><title>askdb</title>"));
  app.get("/boom", () => {
    throw new Error("boom");
  });
  app.onError((_error, c) => c.json({ error: { code: "INTERNAL", message: "x" } }, 500));
  return app;
}

describe("securityHeaders", () => {
  it("forbids framing, inline scripts, sniffing and referrers on pages and on errors", async () => {
    for (const path of ["/", "/boom"]) {
      const response = await appWith([]).request(path);
      const policy = response.headers.get("content-security-policy") ?? "";
      expect(policy, path).toMatch(/frame-ancestors 'none'$/);
      expect(policy).toContain("script-src 'self';");
      expect(policy).not.toMatch(/script-src[^;]*unsafe/);
      expect(response.headers.get("x-frame-options")).toBe("DENY");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    }
  });

  it("names the embedders the person allowed, and then leaves out X-Frame-Options (it cannot name them)", async () => {
    const response = await appWith(["tauri://localhost", "http://tauri.localhost"]).request("/");
    expect(response.headers.get("content-security-policy")).toMatch(
      /frame-ancestors tauri:\/\/localhost http:\/\/tauri\.localhost$/,
    );
    expect(response.headers.get("x-frame-options")).toBeNull();
  });
});
