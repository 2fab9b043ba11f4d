import { AskDbError, toAskDbError } from "../errors/index.js";
import type { Backend } from "./backends/backend.js";
import { throwIfAborted } from "./queue.js";

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  signal?: AbortSignal;
}

/** What a failure means for the chain: try the same backend again, move to the next one, or stop. */
function classify(error: AskDbError): "retry" | "next" | "stop" {
  if (error.code === "NETWORK" || error.code === "BACKEND_UNAVAILABLE" || error.code === "BUSY")
    return "retry";
  if (error.code === "NO_MODEL" || error.code === "MODEL_INVALID" || error.code === "MODEL_TOO_LARGE")
    return "next";
  if (["REMOTE_NOT_ALLOWED", "UNAUTHORIZED", "NOT_FOUND", "UNPROCESSABLE"].includes(error.code))
    return "next";
  return "stop";
}

/**
 * Runs `attempt` on each backend in order. Transient failures are retried with exponential
 * backoff; a backend that cannot serve at all hands over to the next. Input errors and
 * cancellation stop the chain, since another backend would fail the same way.
 */
export async function withFallback<T>(
  backends: Backend[],
  attempt: (backend: Backend) => Promise<T>,
  policy: RetryPolicy,
): Promise<T> {
  const failures: Array<{ backend: Backend; error: AskDbError }> = [];
  for (const backend of backends) {
    for (let tryIndex = 0; ; tryIndex += 1) {
      throwIfAborted(policy.signal);
      try {
        return await attempt(backend);
      } catch (thrown) {
        const error = toAskDbError(thrown);
        const verdict = classify(error);
        if (verdict === "stop") throw error;
        if (verdict === "retry" && tryIndex < policy.retries) {
          await sleep(policy.baseDelayMs * 2 ** tryIndex, policy.signal);
          continue;
        }
        failures.push({ backend, error });
        break;
      }
    }
  }
  throw combine(failures);
}

function combine(failures: Array<{ backend: Backend; error: AskDbError }>): AskDbError {
  if (failures.length === 1) return failures[0].error;
  const first = failures[0].error;
  const sameCode = failures.every((f) => f.error.code === first.code);
  return new AskDbError(
    sameCode ? first.code : "BACKEND_UNAVAILABLE",
    `no backend could serve the request: ${failures.map((f) => `${f.backend.kind}: ${f.error.message}`).join("; ")}`,
    {
      hint: first.hint,
      details: { failures: failures.map((f) => ({ backend: f.backend.kind, ...f.error.toJSON().error })) },
    },
  );
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AskDbError("CANCELLED", "the request was cancelled"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
