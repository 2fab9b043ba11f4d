import { AskDbError } from "../../errors/index.js";
import { purgeRows, type Store } from "../../store/index.js";
import { newId } from "../../util/index.js";
import type { ChatMessage } from "../types.js";

export interface Conversation {
  id: string;
  title: string | null;
  createdAt: string;
  updatedAt: string;
  /** Summary standing in for the first `summarizedCount` messages once the chat outgrew the context. */
  summary: string | null;
  summarizedCount: number;
}

/** Where chat conversations live: the state store (`conversations`/`messages`, kind 'chat') or memory. */
export interface ConversationStore {
  create(title?: string): Conversation;
  get(id: string): Conversation | undefined;
  list(limit?: number): Conversation[];
  messages(id: string): ChatMessage[];
  append(id: string, message: ChatMessage): void;
  setSummary(id: string, summary: string, summarizedCount: number): void;
  delete(id: string): boolean;
}

interface ConversationRow {
  id: string;
  title: string | null;
  created_at: string;
  updated_at: string;
  summary: string | null;
  summarized_count: number;
}

interface MessageRow {
  role: ChatMessage["role"];
  content: string;
  tool_calls_json: string | null;
  tool_call_id: string | null;
}

export function storeConversations(store: Store): ConversationStore {
  const { db } = store;
  const touch = db.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?");
  const get = (id: string): Conversation | undefined => {
    const row = db
      .prepare<[string], ConversationRow>("SELECT * FROM conversations WHERE id = ? AND kind = 'chat'")
      .get(id);
    return row ? toConversation(row) : undefined;
  };
  return {
    create(title) {
      const now = new Date().toISOString();
      const id = newId("chat");
      db.prepare(
        "INSERT INTO conversations (id, kind, title, created_at, updated_at) VALUES (?, 'chat', ?, ?, ?)",
      ).run(id, title ?? null, now, now);
      return get(id) as Conversation;
    },
    get,
    list(limit = 50) {
      return db
        .prepare<[number], ConversationRow>(
          "SELECT * FROM conversations WHERE kind = 'chat' ORDER BY updated_at DESC LIMIT ?",
        )
        .all(limit)
        .map(toConversation);
    },
    messages(id) {
      return db
        .prepare<[string], MessageRow>(
          "SELECT role, content, tool_calls_json, tool_call_id FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid",
        )
        .all(id)
        .map(toMessage);
    },
    append(id, message) {
      const now = new Date().toISOString();
      store.transaction(() => {
        db.prepare(
          "INSERT INTO messages (id, conversation_id, role, content, tool_calls_json, tool_call_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ).run(
          newId("msg"),
          id,
          message.role,
          message.content,
          message.toolCalls?.length ? JSON.stringify(message.toolCalls) : null,
          message.toolCallId ?? null,
          now,
        );
        touch.run(now, id);
      });
    },
    setSummary(id, summary, summarizedCount) {
      db.prepare("UPDATE conversations SET summary = ?, summarized_count = ? WHERE id = ?").run(
        summary,
        summarizedCount,
        id,
      );
    },
    delete(id) {
      return db.prepare("DELETE FROM conversations WHERE id = ? AND kind = 'chat'").run(id).changes > 0;
    },
  };
}

/** Conversations kept in memory only (a library caller without a store, or a one-shot CLI chat). */
export function memoryConversations(): ConversationStore {
  const conversations = new Map<string, { conversation: Conversation; messages: ChatMessage[] }>();
  const entry = (id: string) => conversations.get(id);
  return {
    create(title) {
      const now = new Date().toISOString();
      const conversation: Conversation = {
        id: newId("chat"),
        title: title ?? null,
        createdAt: now,
        updatedAt: now,
        summary: null,
        summarizedCount: 0,
      };
      conversations.set(conversation.id, { conversation, messages: [] });
      return { ...conversation };
    },
    get: (id) => {
      const found = entry(id)?.conversation;
      return found ? { ...found } : undefined;
    },
    list: (limit = 50) =>
      [...conversations.values()]
        .map((e) => ({ ...e.conversation }))
        .reverse()
        .slice(0, limit),
    messages: (id) => [...(entry(id)?.messages ?? [])],
    append(id, message) {
      const found = entry(id);
      if (!found) throw notFound(id);
      found.messages.push(message);
      found.conversation.updatedAt = new Date().toISOString();
    },
    setSummary(id, summary, summarizedCount) {
      const found = entry(id);
      if (!found) throw notFound(id);
      Object.assign(found.conversation, { summary, summarizedCount });
    },
    delete: (id) => conversations.delete(id),
  };
}

export function notFound(id: string): AskDbError {
  return new AskDbError("NOT_FOUND", `no chat conversation ${id}`, {
    hint: "start a new one without --conversation",
  });
}

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    summary: row.summary,
    summarizedCount: row.summarized_count,
  };
}

function toMessage(row: MessageRow): ChatMessage {
  return {
    role: row.role,
    content: row.content,
    ...(row.tool_calls_json
      ? { toolCalls: JSON.parse(row.tool_calls_json) as ChatMessage["toolCalls"] }
      : {}),
    ...(row.tool_call_id ? { toolCallId: row.tool_call_id } : {}),
  };
}

/**
 * The history retention's hook for conversations: deletes messages written before `cutoff` and the
 * conversations not touched since (with their messages), or everything when `cutoff` is null.
 */
export function purgeConversations(
  store: Store,
  cutoff: Date | null,
): { conversations: number; messages: number } {
  const messages = purgeRows(store, "messages", "created_at", cutoff);
  const { db } = store;
  const stale = cutoff === null ? "1" : "julianday(updated_at) < julianday(@cutoff)";
  const params = cutoff === null ? {} : { cutoff: cutoff.toISOString() };
  // Their remaining messages go with them (ON DELETE CASCADE): count them first.
  const cascaded = db
    .prepare(
      `SELECT count(*) FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE ${stale})`,
    )
    .pluck()
    .get(params) as number;
  const conversations = db.prepare(`DELETE FROM conversations WHERE ${stale}`).run(params).changes;
  return { conversations, messages: messages + cascaded };
}
