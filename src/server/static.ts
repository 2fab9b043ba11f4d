import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { MiddlewareHandler } from "hono";
import type { ServerApp } from "./context.js";

/** `web/dist` of the package, whether running from src/ (tsx) or dist/ (built). */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL("../../web/dist", import.meta.url));

/** Paths the API owns: never answered with the SPA's index.html. */
const API_PREFIXES = ["/api/", "/v1/", "/openapi.json", "/metrics", "/health", "/status"];

export function isWebUiBuilt(webRoot: string): boolean {
  return existsSync(join(webRoot, "index.html"));
}

/**
 * The built web UI, with single-page-app fallback: an unknown GET path that wants HTML gets
 * index.html so client-side routes (/models, /settings) survive a reload.
 */
export function registerWebUi(app: ServerApp, webRoot: string): void {
  if (!isWebUiBuilt(webRoot)) {
    app.get("/", (c) =>
      c.html(
        "<!doctype html><title>askdb</title><h1>askdb</h1><p>The web UI is not built: run <code>npm run build:web</code> " +
          '(or <code>npm run build</code>) in the askdb folder, then reload. The API is up: see <a href="/openapi.json">/openapi.json</a>.</p>',
        200,
      ),
    );
    return;
  }
  app.use("*", onlyForUiPaths(serveStatic({ root: webRoot })));
  const indexHtml = readFileSync(join(webRoot, "index.html"), "utf8");
  app.get("*", async (c, next) => {
    if (isApiPath(c.req.path) || !(c.req.header("accept") ?? "").includes("text/html")) return next();
    return c.html(indexHtml);
  });
}

function onlyForUiPaths(handler: MiddlewareHandler): MiddlewareHandler {
  return (c, next) => (c.req.method === "GET" && !isApiPath(c.req.path) ? handler(c, next) : next());
}

function isApiPath(path: string): boolean {
  return API_PREFIXES.some((prefix) => path === prefix.replace(/\/$/, "") || path.startsWith(prefix));
}
