import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { AskDbError, toAskDbError } from "../errors/index.js";
import type { Logger } from "./logger.js";

/** The JSON body and status every failure is answered with; BUSY also gets Retry-After. */
export function errorResponse(c: Context, error: AskDbError): Response {
  if (error.retryAfterSeconds !== undefined)
    c.header("Retry-After", String(Math.ceil(error.retryAfterSeconds)));
  else if (error.status === 503) c.header("Retry-After", "5");
  return c.json(error.toJSON(), error.status as 400);
}

/**
 * Turns whatever a handler threw into a typed error. Hono's own HTTP exceptions (malformed JSON,
 * body limit) keep their status; anything unknown becomes a generic INTERNAL whose details go
 * only to the log.
 */
export function toHttpError(error: unknown, logger: Logger): AskDbError {
  if (error instanceof HTTPException) return fromHttpException(error);
  const typed = toAskDbError(error);
  if (typed.code !== "INTERNAL") return typed;
  logger.error({ err: error }, "unexpected error while answering a request");
  return new AskDbError("INTERNAL", "something went wrong inside askdb; the details are in the server log", {
    hint: "try again; if it keeps happening, run with ASKDB_LOG=debug and report the log",
  });
}

function fromHttpException(error: HTTPException): AskDbError {
  if (error.status === 413) return payloadTooLarge();
  if (error.status === 401) return new AskDbError("UNAUTHORIZED", error.message || "unauthorized");
  const message = /malformed json/i.test(error.message)
    ? "the request body is not valid JSON"
    : error.message || "the request is not valid";
  return new AskDbError("INVALID_INPUT", message, {
    hint: "send a JSON object with the header Content-Type: application/json",
  });
}

export function payloadTooLarge(limitBytes?: number): AskDbError {
  const limit = limitBytes ? ` (limit ${Math.round(limitBytes / 1024)} KB)` : "";
  return new AskDbError("PAYLOAD_TOO_LARGE", `the request body is too large${limit}`, {
    hint: "send less data per request, e.g. split training documents into several requests",
  });
}

/** One readable line naming every invalid field: `body.question: expected string, received number`. */
function describeZodError(target: string, error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = [target, ...issue.path.map(String)].join(".");
      return `${path}: ${issue.message}`;
    })
    .join("; ");
}

/** The validation hook of every route: a failed schema check becomes 400 INVALID_INPUT. */
export function validationHook(
  result: { success: true; data: unknown } | { success: false; error: ZodError; target: string },
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const target = result.target === "json" ? "body" : result.target;
  return errorResponse(c, new AskDbError("INVALID_INPUT", describeZodError(target, result.error)));
}
