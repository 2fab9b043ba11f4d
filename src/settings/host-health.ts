import { performance } from "node:perf_hooks";
import type { Store } from "../store/index.js";

/** What a health probe (e.g. `createOllamaClient(url).health()`) answers. */
export interface HealthProbeResult {
  ok: boolean;
  responseMs: number;
  error?: string;
}

export type HealthProbe = () => Promise<HealthProbeResult>;

/** The latest check of a host and the run of failures leading up to it, kept across restarts. */
export interface HostHealth {
  host: string;
  url: string | null;
  ok: boolean;
  responseMs: number | null;
  error: string | null;
  consecutiveFailures: number;
  lastCheckAt: string;
  lastOkAt: string | null;
}

interface HostHealthRow {
  host: string;
  url: string | null;
  ok: number;
  response_ms: number | null;
  error: string | null;
  consecutive_failures: number;
  last_check_at: string;
  last_ok_at: string | null;
}

export function readHostHealth(store: Store, host: string): HostHealth | null {
  const row = store.db.prepare<[string], HostHealthRow>("SELECT * FROM host_health WHERE host = ?").get(host);
  return row ? fromRow(row) : null;
}

/** Runs the probe (a throw counts as a failure) and records the outcome. */
export async function checkHost(
  store: Store,
  target: { host: string; url: string | null },
  probe: HealthProbe,
  now: () => Date,
): Promise<HostHealth> {
  const result = await runProbe(probe);
  const previous = readHostHealth(store, target.host);
  const checkedAt = now().toISOString();
  const health: HostHealth = {
    host: target.host,
    url: target.url,
    ok: result.ok,
    responseMs: result.responseMs,
    error: result.ok ? null : (result.error ?? "the host did not answer as expected"),
    consecutiveFailures: result.ok ? 0 : (previous?.consecutiveFailures ?? 0) + 1,
    lastCheckAt: checkedAt,
    lastOkAt: result.ok ? checkedAt : (previous?.lastOkAt ?? null),
  };
  store.db
    .prepare(
      `INSERT OR REPLACE INTO host_health (host, url, ok, response_ms, error, consecutive_failures, last_check_at, last_ok_at)
       VALUES (@host, @url, @ok, @responseMs, @error, @consecutiveFailures, @lastCheckAt, @lastOkAt)`,
    )
    .run({ ...health, ok: health.ok ? 1 : 0 });
  return health;
}

async function runProbe(probe: HealthProbe): Promise<HealthProbeResult> {
  const started = performance.now();
  try {
    return await probe();
  } catch (error) {
    return { ok: false, responseMs: performance.now() - started, error: (error as Error).message };
  }
}

function fromRow(row: HostHealthRow): HostHealth {
  return {
    host: row.host,
    url: row.url,
    ok: row.ok === 1,
    responseMs: row.response_ms,
    error: row.error,
    consecutiveFailures: row.consecutive_failures,
    lastCheckAt: row.last_check_at,
    lastOkAt: row.last_ok_at,
  };
}
