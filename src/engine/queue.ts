import { AskDbError } from "../errors/index.js";

interface Waiter {
  start: () => void;
  cancel: (error: AskDbError) => void;
}

/**
 * Bounded FIFO in front of the model: one request runs at a time (a local model has one context),
 * at most `maxPending` wait, and a caller whose signal aborts leaves the line at once.
 */
export class RequestQueue {
  private readonly waiting: Waiter[] = [];
  private running = false;
  private recentDurationsMs: number[] = [];

  constructor(private readonly maxPending: () => number) {}

  get pending(): number {
    return this.waiting.length;
  }

  get busy(): boolean {
    return this.running;
  }

  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    throwIfAborted(signal);
    if (this.running) await this.wait(signal);
    this.running = true;
    const startedAt = performance.now();
    try {
      return await task();
    } finally {
      this.remember(performance.now() - startedAt);
      this.running = false;
      this.waiting.shift()?.start();
    }
  }

  private wait(signal: AbortSignal | undefined): Promise<void> {
    if (this.waiting.length >= this.maxPending()) {
      const retryAfterSeconds = this.retryAfterSeconds();
      throw new AskDbError("BUSY", `the model is busy: ${this.waiting.length} requests are already waiting`, {
        hint: `retry after ${retryAfterSeconds} s`,
        retryAfterSeconds,
      });
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () =>
        waiter.cancel(new AskDbError("CANCELLED", "the request was cancelled while waiting for the model"));
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        cancel: (error) => {
          const index = this.waiting.indexOf(waiter);
          if (index >= 0) this.waiting.splice(index, 1);
          reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** A guess from recent request durations of when a slot frees up. */
  private retryAfterSeconds(): number {
    const durations = this.recentDurationsMs;
    const average = durations.length > 0 ? durations.reduce((a, b) => a + b, 0) / durations.length : 1000;
    return Math.max(1, Math.ceil((average * (this.waiting.length + 1)) / 1000));
  }

  private remember(durationMs: number): void {
    this.recentDurationsMs = [...this.recentDurationsMs.slice(-9), durationMs];
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AskDbError("CANCELLED", "the request was cancelled");
}
