import type { Duplex } from "node:stream";
import type { IncomingHttpHeaders } from "node:http";
import { Agent, interceptors, type Dispatcher } from "undici";
import { insecureRedirectError, isSecureModelUrl } from "./secure-url.js";

let agent: Agent | undefined;
let dispatcher: Dispatcher | undefined;
let secureDispatcher: Dispatcher | undefined;

const followRedirects = () => interceptors.redirect({ maxRedirections: 10 });
const sharedAgent = () => (agent ??= new Agent({ connect: { timeout: 30_000 } }));

/** One shared HTTP client: keep-alive connections, follows redirects. */
export function httpDispatcher(): Dispatcher {
  dispatcher ??= sharedAgent().compose(followRedirects());
  return dispatcher;
}

/**
 * For model files and their look-ups: follows redirects (Hugging Face → CDN) only to https or to
 * this machine, so a server cannot hand the download to plain http where anyone could swap it.
 */
export function modelDispatcher(): Dispatcher {
  // The guard sits inside the redirect interceptor, so it sees the answer of every hop.
  secureDispatcher ??= sharedAgent().compose(refuseInsecureRedirects, followRedirects());
  return secureDispatcher;
}

const refuseInsecureRedirects: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) =>
  dispatch(options, new RedirectGuard(new URL(options.path, options.origin), handler));

/** Passes everything through, except a redirect to an insecure address: that aborts the request. */
class RedirectGuard implements Dispatcher.DispatchHandler {
  constructor(
    private readonly url: URL,
    private readonly handler: Dispatcher.DispatchHandler,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.handler.onRequestStart?.(controller, context);
  }

  onRequestUpgrade(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    socket: Duplex,
  ): void {
    this.handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
    statusMessage?: string,
  ): void {
    const target = redirectTarget(this.url, statusCode, headers);
    if (target && !isSecureModelUrl(target)) {
      controller.abort(insecureRedirectError(this.url, target));
      return;
    }
    this.handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.handler.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: IncomingHttpHeaders): void {
    this.handler.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.handler.onResponseError?.(controller, error);
  }
}

function redirectTarget(from: URL, statusCode: number, headers: IncomingHttpHeaders): URL | undefined {
  const location = headers.location;
  if (statusCode < 300 || statusCode >= 400 || typeof location !== "string") return undefined;
  try {
    return new URL(location, from);
  } catch {
    return undefined;
  }
}
