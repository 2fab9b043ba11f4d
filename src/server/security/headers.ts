import type { MiddlewareHandler } from "hono";

/**
 * The bundled web UI loads its scripts, styles and data from this server only. Inline styles stay
 * allowed (CodeMirror and the charts set them); inline scripts do not.
 */
const PAGE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join("; ");

/**
 * Headers on every response, pages included: no other site may frame askdb (clickjacking) unless
 * the person allowed it in `server.frameAncestors` (read on every request), no MIME sniffing, no
 * Referer (the address may carry the token).
 */
export function securityHeaders(frameAncestors: () => string[]): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const embedders = frameAncestors();
    const headers = c.res.headers;
    headers.set(
      "Content-Security-Policy",
      `${PAGE_POLICY}; frame-ancestors ${embedders.length > 0 ? embedders.join(" ") : "'none'"}`,
    );
    // X-Frame-Options cannot name an embedder; browsers obey frame-ancestors over it anyway.
    if (embedders.length === 0) headers.set("X-Frame-Options", "DENY");
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
  };
}
