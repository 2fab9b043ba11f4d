import { AskDbError } from "../../errors/index.js";
import type { Store } from "../../store/index.js";
import { newId } from "../../util/index.js";
import type { KnowledgeItem, KnowledgeStore } from "../knowledge/index.js";
import type { HistoryEntry, HistoryLog } from "./history.js";
import type { KnowledgeBase } from "./knowledge.js";

export type FeedbackVerdict = "correct" | "corrected";

export interface Feedback {
  /** The answer was right: its question and SQL become a trained pair. */
  markCorrect(answerId: string): Promise<KnowledgeItem>;
  /** The answer was wrong: the corrected SQL (checked by the guard) becomes the pair; the wrong SQL is recorded. */
  correct(answerId: string, sql: string): Promise<KnowledgeItem>;
}

/** The `feedback` table: what a person said of an answer, and the trained pair it became. */
class FeedbackLog {
  constructor(private readonly store: Store) {}

  record(entry: HistoryEntry, verdict: FeedbackVerdict, correctSql: string, knowledgeId: string): void {
    this.store.db
      .prepare(
        `INSERT INTO feedback (id, history_id, db_id, question, verdict, wrong_sql, correct_sql, knowledge_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        newId("fb"),
        entry.id,
        entry.dbId,
        entry.standaloneQuestion ?? entry.question,
        verdict,
        verdict === "corrected" ? (entry.sql ?? null) : null,
        correctSql,
        knowledgeId,
        new Date().toISOString(),
      );
  }
}

export interface FeedbackParts {
  store: Store;
  history: HistoryLog;
  knowledge: KnowledgeBase;
  knowledgeStore: KnowledgeStore;
}

/** Feedback on an answer of the history becomes a trained question/SQL pair of its database. */
export function createFeedback({ store, history, knowledge, knowledgeStore }: FeedbackParts): Feedback {
  const log = new FeedbackLog(store);

  async function keep(entry: HistoryEntry, sql: string, verdict: FeedbackVerdict): Promise<KnowledgeItem> {
    const db = await knowledge.database(knowledgeStore.database(entry.dbId).path);
    const question = entry.standaloneQuestion ?? entry.question;
    const item = await knowledge.addPair(db, question, sql, "feedback");
    log.record(entry, verdict, item.content, item.id);
    return item;
  }

  return {
    async markCorrect(answerId) {
      const entry = history.get(answerId);
      if (!entry.sql)
        throw new AskDbError("INVALID_INPUT", `answer ${answerId} has no SQL to keep (it failed)`, {
          hint: "give the right SQL instead",
        });
      return keep(entry, entry.sql, "correct");
    },
    correct: (answerId, sql) => keep(history.get(answerId), sql.trim(), "corrected"),
  };
}
