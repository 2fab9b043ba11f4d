import { randomBytes } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { AskDb } from "../app/index.js";
import { AskDbError } from "../errors/index.js";
import { createHttpApp } from "./http-app.js";
import { createLogger, type Logger } from "./logger.js";
import { isLoopbackHost } from "./security/index.js";
import { DEFAULT_WEB_ROOT, isWebUiBuilt } from "./static.js";

export const DEFAULT_PORT = 8765;
export const DEFAULT_HOST = "127.0.0.1";
/** How long in-flight requests may finish after a shutdown signal before they are cut. */
const SHUTDOWN_GRACE_MS = 5_000;

export interface ServerOptions {
  askdb: AskDb;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Required from clients when set. Generated when the server listens beyond loopback. */
  token?: string;
  /** Always require a token (generated if not given), as a desktop app's sidecar does. */
  requireToken?: boolean;
  webRoot?: string;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  /** The token clients must send, if one is required. */
  token?: string;
  /** Whether the token was generated (and should be shown to the person). */
  tokenGenerated: boolean;
  webUiBuilt: boolean;
  /** Stops accepting, lets in-flight requests finish (briefly), then closes the listener. Does not close askdb. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = validatePort(options.port ?? DEFAULT_PORT);
  const needsToken = options.requireToken || !isLoopbackHost(host) || options.token !== undefined;
  const token = needsToken ? (options.token ?? generateToken()) : undefined;
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const shutdown = new AbortController();
  const app = createHttpApp({
    askdb: options.askdb,
    logger: options.logger ?? createLogger(),
    bindHost: host,
    token,
    webRoot,
    shutdown: shutdown.signal,
  });
  const server = await listen(app.fetch, host, port);
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(host)}:${actualPort}`,
    host,
    port: actualPort,
    token,
    tokenGenerated: token !== undefined && options.token === undefined,
    webUiBuilt: isWebUiBuilt(webRoot),
    close: () => closeGracefully(server, shutdown),
  };
}

function listen(
  fetch: (request: Request) => Response | Promise<Response>,
  hostname: string,
  port: number,
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server as Server)) as Server;
    server.once("error", (error: NodeJS.ErrnoException) => reject(listenError(error, hostname, port)));
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): AskDbError {
  if (error.code === "EADDRINUSE") {
    return new AskDbError("CONFLICT", `port ${port} on ${host} is already in use`, {
      hint: "another askdb (or another program) is listening there; pick another with --port, or --port 0 for any free port",
      cause: error,
    });
  }
  if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") {
    return new AskDbError("INVALID_INPUT", `cannot listen on ${host}: no such address on this machine`, {
      hint: "use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (every network interface)",
      cause: error,
    });
  }
  return new AskDbError("INTERNAL", `cannot listen on ${host}:${port}: ${error.message}`, { cause: error });
}

function validatePort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AskDbError("INVALID_INPUT", `not a valid port: ${port}`, {
      hint: "use a number from 1 to 65535, or 0 for any free port",
    });
  }
  return port;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::") return "127.0.0.1";
  return host.includes(":") ? `[${host}]` : host;
}

export function generateToken(): string {
  return randomBytes(24).toString("base64url");
}

async function closeGracefully(server: Server, shutdown: AbortController): Promise<void> {
  shutdown.abort(new AskDbError("CANCELLED", "the server is shutting down"));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(timer);
}
