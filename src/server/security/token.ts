import { createHash, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { AskDbError } from "../../errors/index.js";
import { errorResponse } from "../errors.js";

declare module "hono" {
  interface ContextVariableMap {
    /** The request carries the server's token: its caller is the person who started askdb. */
    holdsToken: boolean;
  }
}

export interface TokenOptions {
  token: string;
  /** Every route but /health needs the token (beyond loopback, `--token`, sidecar); else only privileged ones. */
  everywhere: boolean;
}

export const TOKEN_COOKIE = "askdb_token";
const PUBLIC_PATHS = new Set(["/health"]);

/**
 * Finds out whether the request carries the token (a Bearer header, the cookie, or `?token=` on a
 * GET), constant time, and records it for the privileged routes. A browser that brings `?token=`
 * gets it back as an HttpOnly same-site cookie, so the web UI never has to keep it itself.
 */
export function tokenGuard({ token, everywhere }: TokenOptions): MiddlewareHandler {
  const expected = digest(token);
  const matches = (presented: string | undefined) =>
    presented !== undefined && timingSafeEqual(digest(presented), expected);
  return async (c, next) => {
    // A token in the URL is for browsers (EventSource, the first page load): GET only.
    const fromQuery = c.req.method === "GET" ? c.req.query("token") : undefined;
    const presented = [bearerOf(c.req.header("authorization")), getCookie(c, TOKEN_COOKIE), fromQuery];
    const holdsToken = presented.some(matches);
    c.set("holdsToken", holdsToken);
    if (!holdsToken && everywhere && !isExempt(c)) return tokenMissing(c);
    if (matches(fromQuery))
      setCookie(c, TOKEN_COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/" });
    await next();
  };
}

function isExempt(c: Context): boolean {
  return PUBLIC_PATHS.has(c.req.path) || c.req.method === "OPTIONS";
}

function tokenMissing(c: Context): Response {
  if (wantsPage(c.req.method, c.req.header("accept"))) return c.html(TOKEN_NEEDED_PAGE, 401);
  return errorResponse(
    c,
    new AskDbError("UNAUTHORIZED", "this askdb server needs its access token", {
      hint: "send the header `Authorization: Bearer <token>` with the token printed by `askdb serve`",
    }),
  );
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
