import type { EngineStatus } from "../engine/index.js";
import { toAskDbError } from "../errors/index.js";

/**
 * `off`: not asked for (a CLI command), turned off (`engine.prewarm`), or no local model to warm;
 * `cold`: it was warm, then the idle model was unloaded (`engine.keepAliveSeconds`).
 */
export const WARM_STATES = ["off", "warming", "warm", "cold", "failed"] as const;
export type WarmState = (typeof WARM_STATES)[number];
export const WARM_STEPS = ["loading the model", "evaluating the prompt"] as const;

export interface WarmStatus {
  state: WarmState;
  /** While warming: what it does now. */
  step?: (typeof WARM_STEPS)[number];
  /** Why warming failed (the question will fail the same way, e.g. a model too large for memory). */
  error?: string;
}

export interface PrewarmerOptions {
  /** Whether there is something to warm now: the setting is on and a local model is active. */
  wanted(): boolean;
  /** Loads the model and evaluates the active database's stable prompt. */
  warm(signal: AbortSignal): Promise<void>;
  engineStatus(): EngineStatus;
}

export interface Prewarmer {
  /** Warms in the background (the server calls it as it starts); cancels a warm-up in progress. */
  start(): void;
  /** After the active database or model changed: warms again, when warming was started before. */
  restart(): void;
  status(): WarmStatus;
  stop(): void;
}

interface WarmRun {
  controller: AbortController;
  state: "warming" | "warm" | "failed";
  error?: string;
}

/**
 * A question asked while warming needs no coordination here: the engine shares one model load
 * between its callers and runs generations one at a time, so the question waits for the warm-up.
 */
export function createPrewarmer(options: PrewarmerOptions): Prewarmer {
  let started = false;
  let run: WarmRun | undefined;

  function start(): void {
    started = true;
    run?.controller.abort();
    run = options.wanted() ? begin() : undefined;
  }

  function begin(): WarmRun {
    const current: WarmRun = { controller: new AbortController(), state: "warming" };
    options.warm(current.controller.signal).then(
      () => {
        current.state = "warm";
      },
      (error: unknown) => {
        if (current.controller.signal.aborted) return;
        current.state = "failed";
        current.error = toAskDbError(error).message;
      },
    );
    return current;
  }

  function status(): WarmStatus {
    if (!run) return { state: "off" };
    if (run.state === "failed") return { state: "failed", ...(run.error ? { error: run.error } : {}) };
    const engine = options.engineStatus().state;
    if (run.state === "warm") return { state: engine === "unloaded" ? "cold" : "warm" };
    return { state: "warming", step: engine === "loading" ? "loading the model" : "evaluating the prompt" };
  }

  return {
    start,
    restart: () => {
      if (started) start();
    },
    status,
    stop: () => {
      started = false;
      run?.controller.abort();
      run = undefined;
    },
  };
}
