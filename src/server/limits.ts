import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AskDbError } from "../errors/index.js";
import { errorResponse, payloadTooLarge } from "./errors.js";

const DEFAULT_BODY_LIMIT = 1024 * 1024;
/** Training documents and DDL can be long. */
const LARGE_BODY_LIMIT = 10 * 1024 * 1024;
const LARGE_BODY_PATHS = new Set(["/train", "/api/knowledge"]);

/** 413 as soon as Content-Length (or the bytes read so far) pass the limit: the rest is never read. */
export function bodyLimits(): MiddlewareHandler {
  const normal = limitOf(DEFAULT_BODY_LIMIT);
  const large = limitOf(LARGE_BODY_LIMIT);
  return (c, next) => (LARGE_BODY_PATHS.has(c.req.path) ? large(c, next) : normal(c, next));
}

function limitOf(maxSize: number): MiddlewareHandler {
  return bodyLimit({ maxSize, onError: (c) => errorResponse(c, payloadTooLarge(maxSize)) });
}

const BODY_METHODS = new Set(["POST", "PUT", "PATCH"]);

/**
 * A body that is not declared as JSON is refused with a clear message instead of being read as
 * an empty object. (It also keeps forms from other web pages — "simple" requests — out.)
 */
export function requireJsonBodies(): MiddlewareHandler {
  return async (c, next) => {
    if (!BODY_METHODS.has(c.req.method) || !hasBody(c.req.raw)) return next();
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type === "application/json" || type.endsWith("+json")) return next();
    return errorResponse(
      c,
      new AskDbError(
        "INVALID_INPUT",
        `the request body must be JSON (got Content-Type "${type || "none"}")`,
        {
          hint: "send the header Content-Type: application/json (curl: -H 'Content-Type: application/json')",
        },
      ),
    );
  };
}

function hasBody(request: Request): boolean {
  const length = request.headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  return request.headers.has("transfer-encoding");
}
