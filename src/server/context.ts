import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AskDb } from "../app/index.js";
import type { Logger } from "./logger.js";

/** What every route module gets: the askdb facade and the server's logger. */
export interface RouteContext {
  askdb: AskDb;
  logger: Logger;
  /** Aborted when the server shuts down: long streams (SSE) end with it. */
  shutdown: AbortSignal;
}

export type ServerApp = OpenAPIHono;
