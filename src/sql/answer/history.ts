import type { Store } from "../../store/index.js";
import { AskDbError } from "../../errors/index.js";
import { newId } from "../../util/index.js";
import { purgeRows } from "../../store/index.js";
import type { Attempt } from "../generate/index.js";
import type { AnswerSource, AnswerTimings } from "./types.js";

export interface HistoryEntry {
  id: string;
  dbId: string;
  conversationId?: string;
  question: string;
  standaloneQuestion?: string;
  sql?: string;
  source?: AnswerSource;
  rowCount?: number;
  error?: string;
  model?: string;
  attempts: Attempt[];
  timings?: AnswerTimings;
  createdAt: string;
}

export type NewHistoryEntry = Omit<HistoryEntry, "id" | "createdAt"> & { id?: string };

interface HistoryRow {
  id: string;
  db_id: string;
  conversation_id: string | null;
  question: string;
  standalone_question: string | null;
  sql: string | null;
  source: AnswerSource | null;
  row_count: number | null;
  error: string | null;
  model: string | null;
  attempts_json: string | null;
  timings_json: string | null;
  created_at: string;
}

function toEntry(row: HistoryRow): HistoryEntry {
  const entry: HistoryEntry = {
    id: row.id,
    dbId: row.db_id,
    question: row.question,
    attempts: row.attempts_json ? (JSON.parse(row.attempts_json) as Attempt[]) : [],
    createdAt: row.created_at,
  };
  if (row.conversation_id) entry.conversationId = row.conversation_id;
  if (row.standalone_question) entry.standaloneQuestion = row.standalone_question;
  if (row.sql) entry.sql = row.sql;
  if (row.source) entry.source = row.source;
  if (row.row_count !== null) entry.rowCount = row.row_count;
  if (row.error) entry.error = row.error;
  if (row.model) entry.model = row.model;
  if (row.timings_json) entry.timings = JSON.parse(row.timings_json) as AnswerTimings;
  return entry;
}

/** Every answered or failed question, in askdb's state store. */
export class HistoryLog {
  constructor(private readonly store: Store) {}

  record(entry: NewHistoryEntry): string {
    const id = entry.id ?? newId("hist");
    this.store.db
      .prepare(
        `INSERT INTO history (id, db_id, conversation_id, question, standalone_question, sql, source, row_count, error, model, attempts_json, timings_json, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        id,
        entry.dbId,
        entry.conversationId ?? null,
        entry.question,
        entry.standaloneQuestion ?? null,
        entry.sql ?? null,
        entry.source ?? null,
        entry.rowCount ?? null,
        entry.error ?? null,
        entry.model ?? null,
        JSON.stringify(entry.attempts),
        entry.timings ? JSON.stringify(entry.timings) : null,
        new Date().toISOString(),
      );
    return id;
  }

  get(id: string): HistoryEntry {
    const row = this.store.db.prepare<[string], HistoryRow>("SELECT * FROM history WHERE id = ?").get(id);
    if (!row) {
      throw new AskDbError("NOT_FOUND", `no answer with id ${id} in the history`, {
        hint: "the id is the `id` field of an answer; `askdb history` lists recent ones",
      });
    }
    return toEntry(row);
  }

  /** Newest first. */
  list(options: { dbId?: string; conversationId?: string; limit?: number } = {}): HistoryEntry[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (options.dbId) {
      where.push("db_id = ?");
      params.push(options.dbId);
    }
    if (options.conversationId) {
      where.push("conversation_id = ?");
      params.push(options.conversationId);
    }
    params.push(options.limit ?? 50);
    const sql = `SELECT * FROM history ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return this.store.db
      .prepare<Array<string | number>, HistoryRow>(sql)
      .all(...params)
      .map(toEntry);
  }

  /** Deletes the questions asked before `cutoff` (every one when null); returns how many went. */
  purge(cutoff: Date | null): number {
    return purgeRows(this.store, "history", "created_at", cutoff);
  }

  /** The last question of the conversation that produced SQL: the context of a follow-up. */
  lastAnswered(conversationId: string): HistoryEntry | undefined {
    const row = this.store.db
      .prepare<[string], HistoryRow>(
        "SELECT * FROM history WHERE conversation_id = ? AND sql IS NOT NULL AND error IS NULL ORDER BY created_at DESC, rowid DESC LIMIT 1",
      )
      .get(conversationId);
    return row ? toEntry(row) : undefined;
  }
}
