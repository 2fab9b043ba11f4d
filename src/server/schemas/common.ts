import { z } from "@hono/zod-openapi";

/** The `{error: {code, message, hint?}}` body of every failure. */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "INVALID_INPUT" }),
      message: z
        .string()
        .openapi({ example: "body.question: Invalid input: expected string, received undefined" }),
      hint: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .openapi("Error");

const errorContent = { "application/json": { schema: ErrorSchema } };

/** Documented error responses, by status. */
export function errors(...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 422 | 499 | 502 | 503>) {
  const descriptions: Record<number, string> = {
    400: "invalid input (the message names the field)",
    401: "the server's token is missing or wrong (every route beyond loopback; privileged changes always)",
    403: "foreign Host or Origin, a remote backend that is not allowed, or a change refused over HTTP",
    404: "not found",
    409: "conflicts with the current state",
    413: "the body is too large",
    422: "well-formed but cannot be done (SQL refused or failed, invalid model, …)",
    499: "cancelled",
    502: "a remote source failed",
    503: "not ready or busy; see Retry-After",
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: descriptions[s], content: errorContent }]),
  );
}

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { "application/json": { schema } } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

/**
 * A named schema (a component) or null. Not `.nullable()`: on a component that becomes
 * `allOf: [{$ref}, {type: [object, null]}]`, which rejects null and generates an unusable type.
 */
export function orNull<T extends z.ZodType>(schema: T) {
  return z.union([schema, z.null()]);
}

/** A response that is JSON, or an event stream when the request asks for one (or sets `stream`). */
export function jsonOrEventStream<T extends z.ZodType>(schema: T, description: string) {
  return {
    description,
    content: { "application/json": { schema }, "text/event-stream": { schema: z.string() } },
  };
}

/** A response whose body is text of the given media type (markdown, Prometheus, an event stream). */
export function textResponse(mediaType: string, description: string) {
  return { description, content: { [mediaType]: { schema: z.string() } } };
}

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\w.:@+-]+$/, "ids contain only letters, digits and . _ : @ + -")
    .refine((id) => !id.includes(".."), "ids cannot contain ..")
    .openapi({ param: { name: "id", in: "path" }, example: "qwen2.5-coder-1.5b" }),
});

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** `{deleted: id}` and the like: what a delete or an action answers. */
export const DeletedSchema = z.object({ deleted: z.string() }).openapi("Deleted");
