import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { cors } from "hono/cors";
import { AskDbError } from "../../errors/index.js";
import { errorResponse } from "../errors.js";
import { allowedHostNames, hostNameOf } from "./hosts.js";

export { isLoopbackHost } from "./hosts.js";

export interface SecurityOptions {
  /** The address the server is bound to (127.0.0.1, 0.0.0.0, …). */
  bindHost: string;
  /** Required on every route but /health when set. */
  token?: string;
  /** Extra origins allowed to call the API from a browser, e.g. `tauri://localhost`. Read on every request. */
  allowedOrigins: () => string[];
  /** Extra host names accepted in the Host header. */
  allowedHosts?: string[];
}

export const TOKEN_COOKIE = "askdb_token";
const PUBLIC_PATHS = new Set(["/health"]);

/**
 * Refuses requests whose Host header is not this server (DNS rebinding: a web page on
 * evil.example that resolves to 127.0.0.1 still sends `Host: evil.example`).
 */
export function hostGuard(options: SecurityOptions): MiddlewareHandler {
  const allowed = allowedHostNames(options.bindHost, options.allowedHosts);
  return async (c, next) => {
    const host = c.req.header("host");
    if (!host || !allowed.has(hostNameOf(host))) {
      return errorResponse(
        c,
        new AskDbError("FORBIDDEN", `requests for host "${host ?? ""}" are not served here`, {
          hint: "open askdb at http://127.0.0.1:<port> or http://localhost:<port>",
        }),
      );
    }
    await next();
  };
}

/**
 * Browsers send Origin on cross-origin requests. Only the server's own origin and the
 * `server.allowedOrigins` setting pass; CORS headers name that one origin, never `*`.
 */
export function originGuard(options: SecurityOptions): MiddlewareHandler {
  const corsHeaders = cors({
    origin: (origin) => origin,
    allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: ["Content-Type", "Authorization", "Accept"],
    exposeHeaders: ["Retry-After"],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin === undefined) return next();
    if (!isOriginAllowed(origin, c.req.header("host") ?? "", options.allowedOrigins())) {
      return errorResponse(
        c,
        new AskDbError("FORBIDDEN", `requests from the web origin ${origin} are not allowed`, {
          hint: `if you trust it, add it to the setting server.allowedOrigins, e.g. askdb config set server.allowedOrigins ${origin}`,
        }),
      );
    }
    return corsHeaders(c, next);
  };
}

function isOriginAllowed(origin: string, host: string, allowList: string[]): boolean {
  if (allowList.includes(origin)) return true;
  return origin === `http://${host}` || origin === `https://${host}`;
}

/**
 * Bearer token check (constant time). Browsers opening the UI with `?token=` get it as an
 * HttpOnly same-site cookie, so the web UI works without handling the token itself.
 */
export function tokenGuard(token: string): MiddlewareHandler {
  const expected = digest(token);
  return async (c, next) => {
    if (PUBLIC_PATHS.has(c.req.path) || c.req.method === "OPTIONS") return next();
    // A token in the URL is for browsers (EventSource, the first page load): GET only.
    const fromQuery = c.req.method === "GET" ? c.req.query("token") : undefined;
    const presented = bearerOf(c.req.header("authorization")) ?? getCookie(c, TOKEN_COOKIE) ?? fromQuery;
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      if (wantsPage(c.req.method, c.req.header("accept"))) return c.html(TOKEN_NEEDED_PAGE, 401);
      return errorResponse(
        c,
        new AskDbError("UNAUTHORIZED", "this askdb server needs its access token", {
          hint: "send the header `Authorization: Bearer <token>` with the token printed by `askdb serve`",
        }),
      );
    }
    if (fromQuery !== undefined) {
      setCookie(c, TOKEN_COOKIE, fromQuery, { httpOnly: true, sameSite: "Strict", path: "/" });
    }
    await next();
  };
}

/** A person opening the UI in a browser gets a page that says what to do, not JSON. */
const TOKEN_NEEDED_PAGE =
  "<!doctype html><meta charset=utf-8><title>askdb: access token needed</title><h1>This askdb server needs its access token</h1>" +
  "<p>Open the address that <code>askdb serve</code> printed, the one ending in <code>?token=…</code>. " +
  "The browser then remembers the token for this server.</p>";

function wantsPage(method: string, accept: string | undefined): boolean {
  return method === "GET" && (accept ?? "").includes("text/html");
}

function bearerOf(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim();
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
