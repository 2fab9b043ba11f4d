/**
 * One conversation shared by the floating panel and the full-page chat: messages, the live stage of
 * the answer being produced, follow-ups (same conversationId) and re-running edited SQL.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { api, type Answer, type QueryEvent } from "../api/index.js";
import { useStatus } from "./status.js";

export type Stage = "retrieving" | "generating" | "executing" | "done" | "error" | "cancelled";

export interface UserMessage {
  id: string;
  role: "user";
  text: string;
}

export interface AssistantMessage {
  id: string;
  role: "assistant";
  question: string;
  stage: Stage;
  /** SQL as the model writes it, token by token. */
  draft: string;
  answer?: Answer;
  error?: unknown;
  /** True once the person edited the SQL and ran it again. */
  edited?: boolean;
  /** Set when the person confirmed or corrected this answer. */
  feedback?: "correct" | "corrected";
}

export type Message = UserMessage | AssistantMessage;

interface ChatContextValue {
  messages: Message[];
  busy: boolean;
  conversationId: string | undefined;
  ask: (question: string) => Promise<void>;
  rerun: (messageId: string, sql: string) => Promise<void>;
  stop: () => void;
  reset: () => void;
  setFeedback: (messageId: string, feedback: "correct" | "corrected", answer?: Answer) => void;
}

const ChatContext = createContext<ChatContextValue | null>(null);

let sequence = 0;
const nextId = () => `m${++sequence}`;

export function ChatProvider({ children }: { children: ReactNode }) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [busy, setBusy] = useState(false);
  const [conversationId, setConversationId] = useState<string>();
  const controller = useRef<AbortController | null>(null);
  const { refresh: refreshStatus } = useStatus();

  const update = useCallback(
    (id: string, change: (message: AssistantMessage) => Partial<AssistantMessage>) => {
      setMessages((all) =>
        all.map((message) =>
          message.id === id && message.role === "assistant" ? { ...message, ...change(message) } : message,
        ),
      );
    },
    [],
  );

  /** Runs `work` as the one request in flight, so Stop can cancel it. */
  const track = useCallback(
    async (assistantId: string, work: (signal: AbortSignal) => Promise<Partial<AssistantMessage>>) => {
      const abort = new AbortController();
      controller.current = abort;
      setBusy(true);
      try {
        const change = await work(abort.signal);
        update(assistantId, () => ({ stage: "done", error: undefined, ...change }));
      } catch (error) {
        update(assistantId, () =>
          abort.signal.aborted ? { stage: "cancelled" } : { stage: "error", error },
        );
      } finally {
        controller.current = null;
        setBusy(false);
        void refreshStatus();
      }
    },
    [update, refreshStatus],
  );

  const ask = useCallback(
    async (question: string) => {
      const text = question.trim();
      if (!text || controller.current) return;
      const assistantId = nextId();
      setMessages((all) => [
        ...all,
        { id: nextId(), role: "user", text },
        { id: assistantId, role: "assistant", question: text, stage: "retrieving", draft: "" },
      ]);
      await track(assistantId, async (signal) => {
        const answer = await api.ask(text, {
          conversationId,
          signal,
          onEvent: (event) => update(assistantId, (message) => applyEvent(message, event)),
        });
        if (answer.conversationId) setConversationId(answer.conversationId);
        return { answer };
      });
    },
    [conversationId, track, update],
  );

  /** Runs the person's edited SQL through the guard (`POST /sql`) and shows it as this message's answer. */
  const rerun = useCallback(
    async (messageId: string, sql: string) => {
      const message = messages.find(
        (m): m is AssistantMessage => m.id === messageId && m.role === "assistant",
      );
      if (!message || controller.current) return;
      update(messageId, () => ({ stage: "executing", draft: sql, error: undefined, feedback: undefined }));
      await track(messageId, async (signal) => {
        const result = await api.runSql(sql, signal);
        const executionMs = result.elapsedMs;
        const answer: Answer = {
          ...(message.answer ?? { question: message.question, source: "model", attempts: [] }),
          sql,
          columns: result.columns,
          rows: result.rows,
          rowCount: result.rowCount,
          truncated: result.truncated,
          chart: result.chart,
          timings: { retrievalMs: 0, generationMs: 0, executionMs, totalMs: executionMs },
        };
        return { answer, edited: true };
      });
    },
    [messages, track, update],
  );

  const value = useMemo<ChatContextValue>(
    () => ({
      messages,
      busy,
      conversationId,
      ask,
      rerun,
      stop: () => controller.current?.abort(),
      reset: () => {
        controller.current?.abort();
        setMessages([]);
        setConversationId(undefined);
      },
      setFeedback: (messageId, feedback, answer) =>
        update(messageId, (message) => ({ feedback, answer: answer ?? message.answer })),
    }),
    [messages, busy, conversationId, ask, rerun, update],
  );

  return <ChatContext.Provider value={value}>{children}</ChatContext.Provider>;
}

function applyEvent(message: AssistantMessage, event: QueryEvent): Partial<AssistantMessage> {
  switch (event.type) {
    case "retrieving":
      return { stage: "retrieving" };
    case "generating":
      return { stage: "generating", draft: message.draft + (event.token ?? "") };
    case "executing":
      return { stage: "executing", draft: event.sql ?? message.draft };
    default:
      return {};
  }
}

export function useChat(): ChatContextValue {
  const value = useContext(ChatContext);
  if (!value) throw new Error("useChat must be used inside <ChatProvider>");
  return value;
}
