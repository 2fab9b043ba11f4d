import { OpenAPIHono } from "@hono/zod-openapi";
import { AskDbError } from "../errors/index.js";
import type { AskDb } from "../app/index.js";
import type { RouteContext, ServerApp } from "./context.js";
import { errorResponse, toHttpError, validationHook } from "./errors.js";
import { bodyLimits, requireJsonBodies } from "./limits.js";
import type { Logger } from "./logger.js";
import { routeModules } from "./routes/index.js";
import { hostGuard, originGuard, securityHeaders, tokenGuard } from "./security/index.js";
import { registerWebUi } from "./static.js";

export interface HttpAppOptions {
  askdb: AskDb;
  logger: Logger;
  /** The address the server listens on; decides which Host headers are accepted. */
  bindHost: string;
  /** The server's token: privileged changes always need it. */
  token: string;
  /** Every route but /health needs the token, not only the privileged ones. */
  tokenEverywhere: boolean;
  /** Folder of the built web UI. */
  webRoot: string;
  shutdown: AbortSignal;
}

/** The whole HTTP surface: security first, then the API routes, then the web UI. */
export function createHttpApp(options: HttpAppOptions): ServerApp {
  const app: ServerApp = new OpenAPIHono({ defaultHook: validationHook });
  const { askdb } = options;
  const security = {
    bindHost: options.bindHost,
    allowedOrigins: () => askdb.allowedOrigins(),
    extensions: askdb.extensions,
  };
  app.use(
    "*",
    securityHeaders(() => askdb.settings.get("server.frameAncestors")),
  );
  app.use("*", hostGuard(security));
  app.use("*", originGuard(security));
  app.use("*", tokenGuard({ token: options.token, everywhere: options.tokenEverywhere }));
  app.use("*", bodyLimits());
  app.use("*", requireJsonBodies());

  const context: RouteContext = { askdb, logger: options.logger, shutdown: options.shutdown };
  for (const register of routeModules) register(app, context);
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "askdb",
      version: askdb.version,
      description:
        "Ask a SQLite database questions in plain language; a local model writes the SQL. See docs/api.md.",
    },
    servers: [{ url: new URL(c.req.url).origin }],
    // Privileged changes always need it; every route does beyond loopback, with --token, and in a sidecar.
    security: [{ bearer: [] }],
  }));
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  registerWebUi(app, options.webRoot);

  app.notFound((c) =>
    errorResponse(
      c,
      new AskDbError("NOT_FOUND", `no such endpoint: ${c.req.method} ${c.req.path}`, {
        hint: "the endpoints are listed at /openapi.json and in docs/api.md",
      }),
    ),
  );
  app.onError((error, c) => errorResponse(c, toHttpError(error, options.logger)));
  return app;
}
