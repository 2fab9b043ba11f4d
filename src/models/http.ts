import { Agent, interceptors, type Dispatcher } from "undici";

let dispatcher: Dispatcher | undefined;

/** One shared HTTP client: keep-alive connections, follows redirects (Hugging Face → CDN). */
export function httpDispatcher(): Dispatcher {
  dispatcher ??= new Agent({ connect: { timeout: 30_000 } }).compose(
    interceptors.redirect({ maxRedirections: 10 }),
  );
  return dispatcher;
}
