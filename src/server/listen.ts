import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { serve } from "@hono/node-server";
import type { AskDb } from "../app/index.js";
import { AskDbError } from "../errors/index.js";
import { createHttpApp } from "./http-app.js";
import { createLogger, type Logger } from "./logger.js";
import { installToken, isLoopbackHost, tokenFileOf } from "./security/index.js";
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
  /** The token clients send; default: this installation's (kept in the data folder, created on first use). */
  token?: string;
  /** Require the token on every route, as a desktop app's sidecar does (always so beyond loopback or with `token`). */
  requireToken?: boolean;
  webRoot?: string;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  /** Privileged changes need it; every route does when `tokenEverywhere`. */
  token: string;
  tokenEverywhere: boolean;
  /** The file holding the token, when it is the installation's (not one given with `token`). */
  tokenFile?: string;
  /** The address to open in a browser: it hands the token over once, then the browser keeps a cookie. */
  openUrl: string;
  webUiBuilt: boolean;
  /** Stops accepting, lets in-flight requests finish (briefly), then closes the listener. Does not close askdb. */
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  const port = validatePort(options.port ?? DEFAULT_PORT);
  const tokenEverywhere =
    options.requireToken === true || !isLoopbackHost(host) || options.token !== undefined;
  const token = options.token ?? installToken(options.askdb.dataDir);
  const webRoot = options.webRoot ?? DEFAULT_WEB_ROOT;
  const shutdown = new AbortController();
  const app = createHttpApp({
    askdb: options.askdb,
    logger: options.logger ?? createLogger(),
    bindHost: host,
    token,
    tokenEverywhere,
    webRoot,
    shutdown: shutdown.signal,
  });
  const server = await listen(app.fetch, host, port);
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${actualPort}`;
  return {
    url,
    host,
    port: actualPort,
    token,
    tokenEverywhere,
    ...(options.token === undefined ? { tokenFile: tokenFileOf(options.askdb.dataDir) } : {}),
    openUrl: `${url}/?token=${encodeURIComponent(token)}`,
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

async function closeGracefully(server: Server, shutdown: AbortController): Promise<void> {
  shutdown.abort(new AskDbError("CANCELLED", "the server is shutting down"));
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(timer);
}
