import type { Context } from "hono";
import type { SSEStreamingApi } from "hono/streaming";

/** Aborted when the client goes away: its question or generation stops instead of running on. */
export function requestSignal(c: Context): AbortSignal {
  return c.req.raw.signal;
}

/** For a streamed response: aborted when the client disconnects or the stream is closed. */
export function streamAbortSignal(c: Context, stream: SSEStreamingApi): AbortSignal {
  const controller = new AbortController();
  stream.onAbort(() => controller.abort(new Error("the client disconnected")));
  return AbortSignal.any([controller.signal, c.req.raw.signal]);
}
