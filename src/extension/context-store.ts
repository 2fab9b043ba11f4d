import { parseRetention, retentionCutoff, type SettingsService } from "../settings/index.js";
import type { Store } from "../store/index.js";
import { newId } from "../util/index.js";
import type { PreparedContext } from "./page-context.js";

export interface StoredContext extends PreparedContext {
  id: string;
  connectionId: string | null;
  extractedAt: string;
}

/** Page contexts kept for `extension.contextRetention`; nothing older is ever read back. */
export interface PageContexts {
  save(context: PreparedContext, connectionId?: string): StoredContext;
  list(): StoredContext[];
  /** Deletes what the retention setting no longer allows; returns how many went. */
  sweep(): number;
  close(): void;
}

export interface PageContextsOptions {
  store: Store;
  settings: SettingsService;
  clock?: () => Date;
  /** What "session" keeps: contexts from this time on. Defaults to the clock at creation. */
  sessionStartedAt?: Date;
}

interface ContextRow {
  id: string;
  connection_id: string | null;
  url: string;
  title: string;
  content_type: string;
  selection: string;
  text: string;
  redactions_json: string;
  extracted_at: string;
}

export function createPageContexts({
  store,
  settings,
  clock = () => new Date(),
  sessionStartedAt = clock(),
}: PageContextsOptions): PageContexts {
  const { db } = store;
  const sweep = () => {
    const policy = parseRetention(settings.get("extension.contextRetention"));
    const cutoff = retentionCutoff(policy, clock(), sessionStartedAt);
    if (cutoff === null) return 0;
    return db
      .prepare("DELETE FROM extension_contexts WHERE julianday(extracted_at) < julianday(?)")
      .run(cutoff.toISOString()).changes;
  };
  sweep();
  const unsubscribe = settings.onChange((change) => {
    if (change.key === "extension.contextRetention") sweep();
  });

  return {
    save: (context, connectionId) => {
      sweep();
      const stored: StoredContext = {
        ...context,
        id: newId("ctx"),
        connectionId: connectionId ?? null,
        extractedAt: clock().toISOString(),
      };
      db.prepare(
        `INSERT INTO extension_contexts (id, connection_id, url, title, content_type, selection, text, redactions_json, extracted_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        stored.id,
        stored.connectionId,
        stored.url,
        stored.title,
        stored.contentType,
        stored.selection,
        stored.text,
        JSON.stringify(stored.redactions),
        stored.extractedAt,
      );
      return stored;
    },
    list: () => {
      sweep();
      return db
        .prepare<[], ContextRow>("SELECT * FROM extension_contexts ORDER BY extracted_at")
        .all()
        .map(toStoredContext);
    },
    sweep,
    close: unsubscribe,
  };
}

function toStoredContext(row: ContextRow): StoredContext {
  return {
    id: row.id,
    connectionId: row.connection_id,
    url: row.url,
    title: row.title,
    contentType: row.content_type,
    selection: row.selection,
    text: row.text,
    redactions: JSON.parse(row.redactions_json) as StoredContext["redactions"],
    extractedAt: row.extracted_at,
  };
}
