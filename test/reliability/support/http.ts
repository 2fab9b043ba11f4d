import type { TestServer } from "../../../src/server/testing/index.js";

export interface HttpOutcome {
  status: number;
  /** "rows" for a 2xx answer, else the error code of the `{error: {code, message}}` body. */
  outcome: string;
  body: unknown;
}

/** Sends a JSON request and reads the answer as an outcome; a body that is not JSON is reported as such. */
export async function jsonCall(
  server: TestServer,
  method: string,
  path: string,
  json?: unknown,
): Promise<HttpOutcome> {
  const response = await server.api(path, { method, ...(json === undefined ? {} : { json }) });
  const text = await response.text();
  const body = parseJson(text);
  if (body === undefined)
    return { status: response.status, outcome: `non-JSON body: ${text.slice(0, 80)}`, body: text };
  return {
    status: response.status,
    outcome: response.ok ? "rows" : (errorCodeOf(body) ?? "error body without a code"),
    body,
  };
}

/** The parsed JSON, or undefined when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The code of a clear `{error: {code, message}}` body, else undefined. */
export function errorCodeOf(body: unknown): string | undefined {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return typeof error?.code === "string" && typeof error.message === "string" && error.message.length > 0
    ? error.code
    : undefined;
}

/** Pings /health every `everyMs` until `until` settles; resolves with each ping's latency in ms. */
export async function healthLatenciesDuring(
  server: TestServer,
  until: Promise<unknown>,
  everyMs = 25,
): Promise<number[]> {
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  const latencies: number[] = [];
  while (!done) {
    const started = performance.now();
    const response = await server.api("/health");
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return latencies;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
