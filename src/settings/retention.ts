import { AskDbError } from "../errors/index.js";
import type { Store } from "../store/index.js";
import type { Unsubscribe } from "./live-view.js";
import { RETENTION_PATTERN } from "./schema.js";
import type { SettingsService } from "./settings.js";

/** How long question history and conversations are kept. */
export type RetentionPolicy =
  { kind: "session" } | { kind: "forever" } | { kind: "duration"; milliseconds: number; text: string };

const HOUR_MS = 3_600_000;

export function parseRetention(text: string): RetentionPolicy {
  if (!RETENTION_PATTERN.test(text)) {
    throw new AskDbError("INVALID_INPUT", `"${text}" is not a retention period`, {
      hint: "use session, forever, <N>h (hours) or <N>d (days), e.g. `askdb config set privacy.historyRetention 7d`",
    });
  }
  if (text === "session" || text === "forever") return { kind: text };
  const hours = Number(text.slice(0, -1)) * (text.endsWith("d") ? 24 : 1);
  return { kind: "duration", milliseconds: hours * HOUR_MS, text };
}

/** "30 days", "12 hours", "for this session only", "forever". */
export function describeRetention(text: string): string {
  const policy = parseRetention(text);
  if (policy.kind === "session") return "for this session only";
  if (policy.kind === "forever") return "forever";
  const count = Number(text.slice(0, -1));
  const unit = text.endsWith("d") ? "day" : "hour";
  return `${count} ${unit}${count === 1 ? "" : "s"}`;
}

/** Records created before the cutoff are deleted; null keeps everything. */
export function retentionCutoff(policy: RetentionPolicy, now: Date, sessionStartedAt: Date): Date | null {
  if (policy.kind === "forever") return null;
  if (policy.kind === "session") return sessionStartedAt;
  return new Date(now.getTime() - policy.milliseconds);
}

/** What one sweep deleted, by kind of record. */
export interface SweepCounts {
  history: number;
  conversations: number;
  messages: number;
  /** Cached answers (they hold questions and rows too). */
  cachedAnswers: number;
}

export interface SweepResult extends SweepCounts {
  /** ISO time before which records were deleted; null when nothing is ever deleted. */
  cutoff: string | null;
}

/**
 * A module that keeps records under the history retention (questions, cached answers,
 * conversations): it deletes its own rows, the sweeper only decides when and up to which time.
 */
export type RetentionOwner = (cutoff: Date | null) => Partial<SweepCounts>;

export interface RetentionSweeper {
  /** Deletes what the retention setting no longer allows, now. */
  sweepNow(): SweepResult;
  /** "Clear all history": every question, conversation and cached answer, whatever the setting. */
  clearHistory(): SweepResult;
  /** Sweeps now, then every `intervalMs` and whenever the retention setting changes. */
  start(): void;
  stop(): void;
}

export interface RetentionSweeperOptions {
  store: Store;
  settings: SettingsService;
  /** Each purges its own records created before the cutoff (all of them when it is null). */
  owners: RetentionOwner[];
  /** The time, injectable so tests control it. */
  clock?: () => Date;
  /** Between sweeps while started; default 10 minutes. */
  intervalMs?: number;
  /** What "session" keeps: records from this time on. Defaults to the clock when the sweeper is created. */
  sessionStartedAt?: Date;
  /** Records kept by a retention setting of their own (the browser extension's page contexts), swept on the same schedule. */
  alsoSweep?: () => void;
}

export function createRetentionSweeper(options: RetentionSweeperOptions): RetentionSweeper {
  const { store, settings } = options;
  const clock = options.clock ?? (() => new Date());
  const intervalMs = options.intervalMs ?? 10 * 60_000;
  const sessionStartedAt = options.sessionStartedAt ?? clock();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: Unsubscribe | undefined;

  const sweepNow = (): SweepResult => {
    options.alsoSweep?.();
    const cutoff = retentionCutoff(
      parseRetention(settings.get("privacy.historyRetention")),
      clock(),
      sessionStartedAt,
    );
    if (cutoff === null) return { ...NOTHING, cutoff: null };
    return purge(store, options.owners, cutoff);
  };

  return {
    sweepNow,
    clearHistory: () => {
      const result = purge(store, options.owners, null);
      // Deleted pages were zeroed (secure_delete); fold the WAL in too so no copy of them lingers there.
      store.db.pragma("wal_checkpoint(TRUNCATE)");
      return result;
    },
    start() {
      if (timer) return;
      sweepNow();
      timer = setInterval(sweepNow, intervalMs);
      timer.unref();
      unsubscribe = settings.onChange((change) => {
        if (change.key === "privacy.historyRetention") sweepNow();
      });
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      unsubscribe?.();
      unsubscribe = undefined;
    },
  };
}

const NOTHING: SweepCounts = { history: 0, conversations: 0, messages: 0, cachedAnswers: 0 };

/** Every owner purges in one transaction, with deleted rows overwritten by zeros in the file. */
function purge(store: Store, owners: RetentionOwner[], cutoff: Date | null): SweepResult {
  const result: SweepResult = { ...NOTHING, cutoff: cutoff?.toISOString() ?? null };
  withSecureDelete(store, () =>
    store.transaction(() => {
      for (const owner of owners) {
        for (const [kind, count] of Object.entries(owner(cutoff)) as Array<[keyof SweepCounts, number]>)
          result[kind] += count;
      }
    }),
  );
  return result;
}

/** Deleted rows are overwritten with zeros in the file, not only unlinked. */
function withSecureDelete(store: Store, fn: () => void): void {
  const previous = store.db.pragma("secure_delete", { simple: true }) as number;
  store.db.pragma("secure_delete = ON");
  try {
    fn();
  } finally {
    store.db.pragma(`secure_delete = ${previous}`);
  }
}
