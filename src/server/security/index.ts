import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { AskDbError } from "../../errors/index.js";
import { isExtensionOrigin, type BrowserExtensions } from "../../extension/index.js";
import { errorResponse } from "../errors.js";
import { admitExtension, EXTENSION_CREDENTIAL_HEADER, EXTENSION_TABS_HEADER } from "./extension.js";
import { allowedHostNames, hostNameOf } from "./hosts.js";

export { EXTENSION_CREDENTIAL_HEADER, EXTENSION_PAIR_PATH, EXTENSION_TABS_HEADER } from "./extension.js";
export { isLoopbackHost } from "./hosts.js";
export { securityHeaders } from "./headers.js";
export { generateToken, installToken, tokenFileOf } from "./install-token.js";
export {
  assertMayChangeSettings,
  assertMayEnableFlag,
  assertMayPull,
  privileged,
  requireToken,
} from "./privileged.js";
export { TOKEN_COOKIE, tokenGuard } from "./token.js";

export interface SecurityOptions {
  /** The address the server is bound to (127.0.0.1, 0.0.0.0, …). */
  bindHost: string;
  /** Extra origins allowed to call the API from a browser, e.g. `tauri://localhost`. Read on every request. */
  allowedOrigins: () => string[];
  /** Extra host names accepted in the Host header. */
  allowedHosts?: string[];
  /** Paired browser extensions: their origins pass only with their own credential. */
  extensions: BrowserExtensions;
}

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
 * `server.allowedOrigins` setting pass, and a paired browser extension (see admitExtension); CORS
 * headers name that one origin, never `*`.
 */
export function originGuard(options: SecurityOptions): MiddlewareHandler {
  const corsHeaders = cors({
    origin: (origin) => origin,
    allowMethods: ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS"],
    allowHeaders: [
      "Content-Type",
      "Authorization",
      "Accept",
      EXTENSION_CREDENTIAL_HEADER,
      EXTENSION_TABS_HEADER,
    ],
    exposeHeaders: ["Retry-After"],
    maxAge: 600,
  });
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin === undefined) return next();
    if (isExtensionOrigin(origin)) {
      admitExtension(c, origin, options.extensions);
      return corsHeaders(c, next);
    }
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
