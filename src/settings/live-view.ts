import { isDeepStrictEqual } from "node:util";
import type { Store } from "../store/index.js";

export type Unsubscribe = () => void;

export interface Change<V> {
  key: string;
  value: V;
  previous: V;
}

/**
 * The effective values of a table of switches (settings, feature flags), cached, reloaded after
 * our own writes and whenever another connection — another askdb process, e.g. `askdb flags
 * enable` beside a running server — has committed to the store (SQLite's `data_version`).
 * Listeners hear about every effective change, so a switch takes effect without a restart.
 */
export interface LiveView<E> {
  /** The current entries, re-read first if the store changed elsewhere. */
  entries(): ReadonlyMap<string, E>;
  /** Runs `write` in one transaction, then reloads and tells listeners what changed. */
  write(write: () => void): void;
  subscribe(listener: (change: Change<unknown>) => void): Unsubscribe;
}

export function createLiveView<E>(
  store: Store,
  load: () => Map<string, E>,
  valueOf: (entry: E) => unknown,
): LiveView<E> {
  const listeners = new Set<(change: Change<unknown>) => void>();
  // Prepared once: it runs on every read of a setting, i.e. on every request.
  const dataVersionStatement = store.db.prepare<[], number>("PRAGMA data_version").pluck();
  const dataVersion = (): number => dataVersionStatement.get() as number;
  let seenVersion = dataVersion();
  let current = load();

  function reload(): void {
    seenVersion = dataVersion();
    const next = load();
    const changes = diff(current, next, valueOf);
    current = next;
    for (const change of changes) notify(listeners, change);
  }

  return {
    entries() {
      if (dataVersion() !== seenVersion) reload();
      return current;
    },
    write(write) {
      store.transaction(write);
      reload();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

function diff<E>(
  before: Map<string, E>,
  after: Map<string, E>,
  valueOf: (entry: E) => unknown,
): Change<unknown>[] {
  const changes: Change<unknown>[] = [];
  for (const [key, entry] of after) {
    const previous = before.get(key);
    const value = valueOf(entry);
    const old = previous === undefined ? undefined : valueOf(previous);
    if (!isDeepStrictEqual(value, old)) changes.push({ key, value, previous: old });
  }
  return changes;
}

/** A failing listener must not undo the change nor stop the other listeners from hearing it. */
function notify<V>(listeners: Set<(change: Change<V>) => void>, change: Change<V>): void {
  for (const listener of [...listeners]) {
    try {
      listener(change);
    } catch (error) {
      process.emitWarning(`a listener for "${change.key}" failed: ${(error as Error).message}`);
    }
  }
}
