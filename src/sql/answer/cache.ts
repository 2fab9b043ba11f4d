import { createHash } from "node:crypto";
import type { Statement } from "better-sqlite3";
import { purgeRows, type Store } from "../../store/index.js";
import { normaliseQuestion } from "../retrieve/index.js";
import type { Answer } from "./types.js";

/** Everything an answer depends on: a change to any of them makes a different key. */
export interface CacheKeyParts {
  question: string;
  /** Structural schema fingerprint. */
  fingerprint: string;
  /** The file's size and modification time: rows change without the schema changing. */
  dataStamp: string;
  knowledgeVersion: number;
  model: string;
  /** Options that change how the SQL is written (grammar, examples, repair). */
  variant: string;
}

/** `generation:hash` — the generation (schema, data, knowledge) prefix lets older entries be dropped at once. */
export function answerCacheKey(parts: CacheKeyParts): string {
  const generation = cacheGeneration(parts);
  const hash = createHash("sha256")
    .update(JSON.stringify([normaliseQuestion(parts.question), parts.model, parts.variant]))
    .digest("hex")
    .slice(0, 32);
  return `${generation}:${hash}`;
}

export function cacheGeneration(
  parts: Pick<CacheKeyParts, "fingerprint" | "dataStamp" | "knowledgeVersion">,
): string {
  return createHash("sha256")
    .update(`${parts.fingerprint}|${parts.dataStamp}|${parts.knowledgeVersion}`)
    .digest("hex")
    .slice(0, 16);
}

const MEMORY_ENTRIES = 500;

/** Answers in memory (fast path) backed by the state store (survives restarts and CLI runs). */
export class AnswerCache {
  private readonly memory = new Map<string, Answer>();
  private readonly storedKeyStatement: Statement<[string], number>;

  constructor(private readonly store: Store) {
    this.storedKeyStatement = store.db
      .prepare<[string], number>("SELECT 1 FROM answer_cache WHERE key = ?")
      .pluck();
  }

  /**
   * The stored row stays the truth: history can be cleared or swept by retention, also from another
   * process, and a cleared answer must not come back from memory. The existence check is one indexed read.
   */
  get(key: string): Answer | undefined {
    if (!this.storedKeyStatement.get(key)) {
      this.memory.delete(key);
      return undefined;
    }
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memory.set(key, hit);
      return hit;
    }
    const row = this.store.db
      .prepare<[string], { answer_json: string }>("SELECT answer_json FROM answer_cache WHERE key = ?")
      .get(key);
    if (!row) return undefined;
    const answer = JSON.parse(row.answer_json) as Answer;
    this.remember(key, answer);
    return answer;
  }

  /** Stores the answer and drops the database's entries of older generations. */
  put(key: string, dbId: string, answer: Answer): void {
    const generation = key.slice(0, key.indexOf(":") + 1);
    this.store.transaction(() => {
      this.store.db
        .prepare("DELETE FROM answer_cache WHERE db_id = ? AND substr(key, 1, ?) <> ?")
        .run(dbId, generation.length, generation);
      this.store.db
        .prepare(
          `INSERT INTO answer_cache (key, db_id, answer_json, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT(key) DO UPDATE SET answer_json = excluded.answer_json, created_at = excluded.created_at`,
        )
        .run(key, dbId, JSON.stringify(answer), new Date().toISOString());
    });
    this.remember(key, answer);
  }

  /** Deletes answers cached before `cutoff` (every one when null); returns how many went. */
  purge(cutoff: Date | null): number {
    this.memory.clear();
    return purgeRows(this.store, "answer_cache", "created_at", cutoff);
  }

  private remember(key: string, answer: Answer): void {
    this.memory.set(key, answer);
    if (this.memory.size > MEMORY_ENTRIES) this.memory.delete(this.memory.keys().next().value as string);
  }
}
