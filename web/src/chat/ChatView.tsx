import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from "react";
import { api } from "../api/index.js";
import { Icon } from "../components/icons.js";
import { Button, cx, HelpLink, type HelpPage } from "../components/ui.js";
import { useLoad } from "../lib/hooks.js";
import { ModelSetup } from "../setup/ModelSetup.js";
import { useChat } from "../state/chat.js";
import { readinessOf, useStatus, type Readiness } from "../state/status.js";
import { AssistantBubble } from "./AssistantBubble.js";

const ERROR_ADVICE =
  "askdb tries again with your next question. If it keeps failing, check the Models page or the backend in Settings. Saved examples still work.";

interface ReadinessNote {
  text: string;
  tone: "info" | "warn";
  help?: { page: HelpPage; label: string };
}

/** The states a person meets, in plain words (the set-up card covers "no model" and "downloading"). */
const READINESS_NOTES: Partial<Record<Readiness, ReadinessNote>> = {
  offline: {
    text: "askdb is not reachable. Check that `askdb serve` is still running; this page reconnects by itself.",
    tone: "warn",
  },
  unavailable: {
    text: "askdb could not report its status. Questions may still work; if they fail too, restart `askdb serve`.",
    tone: "warn",
    help: { page: "troubleshooting.md", label: "Troubleshooting" },
  },
  loading: {
    text: "Loading the AI model into memory. The first answer takes a few seconds longer.",
    tone: "info",
    help: { page: "models-and-hardware.md", label: "Models and hardware" },
  },
  busy: {
    text: "askdb is working on another question. Yours will start as soon as it is done.",
    tone: "info",
    help: { page: "troubleshooting.md", label: "Why answers can be slow" },
  },
  error: {
    text: `The last attempt to use the AI model failed. ${ERROR_ADVICE}`,
    tone: "warn",
    help: { page: "troubleshooting.md", label: "Troubleshooting" },
  },
};

/** The note for the current state; an engine failure is told with the server's own words. */
function readinessNote(
  readiness: Readiness,
  engineError: string | null | undefined,
): ReadinessNote | undefined {
  const note = READINESS_NOTES[readiness];
  if (!note || readiness !== "error" || !engineError) return note;
  return {
    ...note,
    text: `The AI model could not be used: ${engineError.replace(/\.?$/, ".")} ${ERROR_ADVICE}`,
  };
}

export function ChatView({ compact = false }: { compact?: boolean }) {
  const { messages, busy, ask, stop, reset } = useChat();
  const { status, error } = useStatus();
  const readiness = readinessOf(status, error);
  const note = readinessNote(readiness, status?.engine?.error);
  const [question, setQuestion] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);
  const bottom = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLDivElement>(null);
  const lastMessage = messages[messages.length - 1];
  const needsModel = readiness === "no-model" || readiness === "downloading";
  // The set-up card stays up after the download completes, to say so, until it hands over.
  const [setupVisible, setSetupVisible] = useState(false);
  useEffect(() => {
    if (needsModel) setSetupVisible(true);
  }, [needsModel]);
  const hideSetup = useCallback(() => setSetupVisible(false), []);

  // Follow the answer while it is produced; once it is done, show it from its top (tables are long).
  const lastStage = lastMessage?.role === "assistant" ? lastMessage.stage : undefined;
  const lastDraftLength = lastMessage?.role === "assistant" ? lastMessage.draft.length : 0;
  useEffect(() => {
    if (lastStage === "done") {
      const bubbles = list.current?.querySelectorAll("[data-testid=assistant-message]");
      bubbles?.[bubbles.length - 1]?.scrollIntoView({ block: "start", behavior: "smooth" });
    } else {
      bottom.current?.scrollIntoView({ block: "end", behavior: "smooth" });
    }
  }, [messages.length, lastStage, lastDraftLength]);

  useEffect(() => input.current?.focus(), []);

  const send = (text = question) => {
    if (!text.trim() || busy) return;
    setQuestion("");
    void ask(text);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };

  return (
    <div className="flex h-full min-h-0 flex-col">
      <div
        ref={list}
        className={cx("min-h-0 flex-1 space-y-5 overflow-y-auto", compact ? "p-4" : "px-4 py-6 sm:px-8")}
      >
        {setupVisible ? <ModelSetup onFinished={hideSetup} /> : null}
        {note ? (
          <p
            role="status"
            className={cx(
              "flex items-start gap-2 rounded-lg px-3 py-2 text-sm",
              note.tone === "warn"
                ? "bg-rose-50 text-rose-800 dark:bg-rose-950/50 dark:text-rose-200"
                : "bg-sky-50 text-sky-800 dark:bg-sky-950/50 dark:text-sky-200",
            )}
          >
            <Icon name={note.tone === "warn" ? "alert" : "info"} className="mt-0.5 size-4 shrink-0" />
            <span>
              {note.text}
              {note.help ? (
                <>
                  {" "}
                  <HelpLink page={note.help.page}>{note.help.label}</HelpLink>
                </>
              ) : null}
            </span>
          </p>
        ) : null}
        {messages.length === 0 ? <Welcome onPick={send} noModel={needsModel} /> : null}
        {messages.map((message) =>
          message.role === "user" ? (
            <div key={message.id} className="flex justify-end">
              <p
                data-testid="user-message"
                className="max-w-[85%] rounded-2xl rounded-br-sm bg-indigo-600 px-4 py-2 text-sm whitespace-pre-wrap text-white shadow-sm"
              >
                {message.text}
              </p>
            </div>
          ) : (
            <AssistantBubble key={message.id} message={message} compact={compact} />
          ),
        )}
        <div ref={bottom} />
      </div>

      <form
        className={cx(
          compact
            ? "border-t border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
            : "px-4 pt-2 pb-4 sm:px-8",
        )}
        onSubmit={(event) => {
          event.preventDefault();
          send();
        }}
      >
        <div
          className={cx(
            "flex items-end gap-2 rounded-xl p-1.5 ring-1 ring-slate-200 focus-within:ring-2 focus-within:ring-indigo-500/70 dark:ring-slate-700",
            compact ? "bg-slate-50 dark:bg-slate-950" : "bg-white shadow-sm dark:bg-slate-900",
          )}
        >
          <label htmlFor={compact ? "question-panel" : "question"} className="sr-only">
            Your question
          </label>
          <textarea
            id={compact ? "question-panel" : "question"}
            ref={input}
            rows={1}
            value={question}
            onChange={(event) => setQuestion(event.target.value)}
            onKeyDown={onKeyDown}
            placeholder={messages.length ? "Ask a follow-up…" : "Ask a question about your data…"}
            className="max-h-40 min-h-9 flex-1 resize-none bg-transparent px-2 py-1.5 text-sm outline-none placeholder:text-slate-400"
          />
          {busy ? (
            <Button variant="secondary" icon="stop" onClick={stop} aria-label="Stop answering">
              Stop
            </Button>
          ) : (
            <Button
              type="submit"
              variant="primary"
              icon="send"
              disabled={!question.trim()}
              aria-label="Send question"
            >
              {compact ? null : "Ask"}
            </Button>
          )}
        </div>
        <div className="mt-1.5 flex items-center justify-between px-1 text-xs text-slate-400">
          <span>Enter sends · Shift+Enter for a new line</span>
          {messages.length ? (
            <button
              type="button"
              className="hover:text-slate-600 dark:hover:text-slate-200"
              onClick={reset}
              disabled={busy}
            >
              New conversation
            </button>
          ) : null}
        </div>
      </form>
    </div>
  );
}

function Welcome({ onPick, noModel }: { onPick: (question: string) => void; noModel: boolean }) {
  const examples = useLoad(() => api.knowledge({ kind: "question_sql", limit: 4 }));
  const { status } = useStatus();
  const questions = (examples.data?.items ?? []).map((item) => item.question).filter((q): q is string => !!q);
  return (
    <div className="mx-auto max-w-xl py-6 text-center">
      <div className="mx-auto mb-3 flex size-12 items-center justify-center rounded-2xl bg-indigo-100 text-indigo-600 dark:bg-indigo-950 dark:text-indigo-300">
        <Icon name="database" className="size-6" />
      </div>
      <h2 className="text-lg font-semibold">
        Ask {status?.database?.name ? `“${status.database.name}”` : "your database"} anything
      </h2>
      <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
        askdb writes the SQL, runs it read-only and shows the result as a table and a chart.
        {noModel ? " Until a model is installed, try one of your saved questions:" : ""}
      </p>
      {questions.length ? (
        <div className="mt-4 flex flex-wrap justify-center gap-2">
          {questions.map((question) => (
            <button
              key={question}
              type="button"
              onClick={() => onPick(question)}
              className="rounded-full border border-slate-200 bg-white px-3 py-1.5 text-sm text-slate-700 shadow-sm hover:border-indigo-300 hover:text-indigo-700 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:border-indigo-700"
            >
              {question}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
