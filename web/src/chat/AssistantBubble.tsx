import { useState } from "react";
import { api, ApiError, type Answer, type AnswerSource } from "../api/index.js";
import { Icon } from "../components/icons.js";
import { Badge, Button, ErrorNotice, HelpLink, Spinner, cx, type Tone } from "../components/ui.js";
import { csvFileName, saveFile, toCsv } from "../lib/csv.js";
import { formatCell, formatMs } from "../lib/format.js";
import { useChat, type AssistantMessage, type Stage } from "../state/chat.js";
import { AnswerChart } from "./AnswerChart.js";
import { ImproveDialog, answerWithSql } from "./ImproveDialog.js";
import { ResultTable } from "./ResultTable.js";
import { SqlEditor } from "./SqlEditor.js";

const STEPS: Array<{ stage: Stage; label: string }> = [
  { stage: "retrieving", label: "Finding examples" },
  { stage: "generating", label: "Writing SQL" },
  { stage: "executing", label: "Running the query" },
];

const SOURCE_BADGES: Record<AnswerSource, { label: string; tone: Tone; title: string }> = {
  model: { label: "AI model", tone: "indigo", title: "The AI model wrote this SQL" },
  example: {
    label: "Saved example",
    tone: "emerald",
    title: "Reused the SQL of a saved question/SQL example",
  },
  cache: {
    label: "Cache",
    tone: "sky",
    title: "The same question was answered before; the answer came from the cache",
  },
};

export function AssistantBubble({ message, compact }: { message: AssistantMessage; compact?: boolean }) {
  return (
    <div className="flex gap-3" data-testid="assistant-message">
      <div className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full bg-indigo-600 text-white">
        <Icon name="sparkles" className="size-4" />
      </div>
      <div className="min-w-0 flex-1 space-y-3">
        {message.stage === "done" && message.answer ? (
          <AnswerView message={message} answer={message.answer} compact={compact} />
        ) : message.stage === "error" ? (
          <FailedAnswer message={message} />
        ) : message.stage === "cancelled" ? (
          <p className="text-sm text-slate-500 italic dark:text-slate-400">Stopped.</p>
        ) : (
          <LiveProgress message={message} />
        )}
      </div>
    </div>
  );
}

function LiveProgress({ message }: { message: AssistantMessage }) {
  const currentIndex = STEPS.findIndex((step) => step.stage === message.stage);
  return (
    <div className="space-y-3" aria-live="polite">
      <ol className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm" aria-label="Answer progress">
        {STEPS.map((step, index) => {
          const state = index < currentIndex ? "done" : index === currentIndex ? "active" : "waiting";
          return (
            <li
              key={step.stage}
              aria-current={state === "active" ? "step" : undefined}
              className={cx(
                "flex items-center gap-1.5",
                state === "active" && "font-medium text-indigo-600 dark:text-indigo-400",
                state === "done" && "text-slate-500 dark:text-slate-400",
                state === "waiting" && "text-slate-400 dark:text-slate-600",
              )}
            >
              {state === "active" ? (
                <Spinner className="size-3.5" />
              ) : state === "done" ? (
                <Icon name="check" className="size-3.5 text-emerald-500" />
              ) : (
                <span className="size-1.5 rounded-full bg-current" />
              )}
              {step.label}
              {state === "active" ? "…" : ""}
            </li>
          );
        })}
      </ol>
      {message.draft ? (
        <pre
          data-testid="sql-draft"
          className={cx(
            "overflow-x-auto rounded-lg bg-slate-900 px-3 py-2 font-mono text-xs leading-relaxed whitespace-pre-wrap text-slate-100",
            message.stage === "generating" && "caret",
          )}
        >
          {message.draft}
        </pre>
      ) : null}
    </div>
  );
}

function FailedAnswer({ message }: { message: AssistantMessage }) {
  const { rerun, busy } = useChat();
  // The SQL that failed: as the server reports it, else as it was streamed or edited.
  const failedSql =
    message.error instanceof ApiError && typeof message.error.details?.sql === "string"
      ? message.error.details.sql
      : message.draft || undefined;
  const [draft, setDraft] = useState(failedSql ?? "");
  return (
    <div className="space-y-3">
      <ErrorNotice error={message.error} />
      {failedSql !== undefined ? (
        <div className="space-y-2">
          <p className="text-xs text-slate-500 dark:text-slate-400">
            The SQL that failed. Fix it and run it again.{" "}
            <HelpLink page="your-own-database.md" className="text-indigo-600 dark:text-indigo-400">
              Why SQL goes wrong and how to teach askdb
            </HelpLink>
          </p>
          <SqlEditor
            value={draft}
            onChange={setDraft}
            label="SQL to fix"
            onSubmit={() => void rerun(message.id, draft)}
          />
          <Button
            size="sm"
            variant="primary"
            icon="play"
            disabled={busy || !draft.trim()}
            onClick={() => void rerun(message.id, draft)}
          >
            Run again
          </Button>
        </div>
      ) : null}
    </div>
  );
}

function AnswerView({
  message,
  answer,
  compact,
}: {
  message: AssistantMessage;
  answer: Answer;
  compact?: boolean;
}) {
  const { rerun, busy, setFeedback } = useChat();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(answer.sql);
  const [copied, setCopied] = useState(false);
  const [improving, setImproving] = useState(false);
  const [feedbackError, setFeedbackError] = useState<unknown>();
  const [confirming, setConfirming] = useState(false);
  const badge = SOURCE_BADGES[answer.source] ?? SOURCE_BADGES.model;

  const copy = async () => {
    await navigator.clipboard?.writeText(answer.sql).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };

  const runEdited = async () => {
    setEditing(false);
    await rerun(message.id, draft);
  };

  // Confirming edited SQL saves it as the correction; an answer without a history entry becomes a new example.
  const saveAsCorrect = () =>
    !answer.id
      ? api.train("question_sql", answer.sql, answer.question)
      : message.edited
        ? api.correct(answer.id, answer.sql)
        : api.markCorrect(answer.id);

  const markCorrect = async () => {
    setConfirming(true);
    setFeedbackError(undefined);
    try {
      await saveAsCorrect();
      setFeedback(message.id, message.edited ? "corrected" : "correct");
    } catch (error) {
      setFeedbackError(error);
    } finally {
      setConfirming(false);
    }
  };

  return (
    <>
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-500 dark:text-slate-400">
        {message.edited ? (
          <Badge tone="amber" title="You edited this SQL and ran it again">
            Your edited SQL
          </Badge>
        ) : (
          <Badge tone={badge.tone} title={badge.title}>
            {badge.label}
          </Badge>
        )}
        <span data-testid="timings" className="flex flex-wrap gap-x-3">
          {answer.source === "model" && !message.edited ? (
            <span>SQL generation {formatMs(answer.timings.generationMs)}</span>
          ) : null}
          <span>Run {formatMs(answer.timings.executionMs)}</span>
          <span>Total {formatMs(answer.timings.totalMs)}</span>
        </span>
        {answer.source === "example" && answer.matchedQuestion && !message.edited ? (
          <span className="truncate" title={answer.matchedQuestion}>
            · matched “{answer.matchedQuestion}”
          </span>
        ) : null}
        {answer.model && answer.source === "model" && !message.edited ? (
          <span className="truncate">· {answer.model}</span>
        ) : null}
      </div>

      <div className="space-y-2">
        {editing ? (
          <SqlEditor
            value={draft}
            onChange={setDraft}
            label="Edit the SQL"
            onSubmit={() => void runEdited()}
          />
        ) : (
          <SqlEditor value={answer.sql} label="Generated SQL" />
        )}
        <div className="flex flex-wrap gap-1.5">
          {editing ? (
            <>
              <Button
                size="sm"
                variant="primary"
                icon="play"
                disabled={busy || !draft.trim()}
                onClick={() => void runEdited()}
              >
                Run again
              </Button>
              <Button size="sm" variant="ghost" onClick={() => (setEditing(false), setDraft(answer.sql))}>
                Cancel
              </Button>
            </>
          ) : (
            <>
              <Button size="sm" variant="ghost" icon={copied ? "check" : "copy"} onClick={() => void copy()}>
                {copied ? "Copied" : "Copy SQL"}
              </Button>
              <Button
                size="sm"
                variant="ghost"
                icon="edit"
                onClick={() => (setDraft(answer.sql), setEditing(true))}
              >
                Edit &amp; run
              </Button>
              <Button
                size="sm"
                variant="ghost"
                icon="download"
                disabled={answer.columns.length === 0}
                onClick={() => saveFile(csvFileName(answer.question), toCsv(answer.columns, answer.rows))}
              >
                Export CSV
              </Button>
            </>
          )}
        </div>
      </div>

      {answer.rows.length === 1 && answer.columns.length === 1 ? (
        <p className="text-3xl font-semibold tracking-tight tabular-nums" data-testid="single-value">
          {formatCell(answer.rows[0][0])}
          <span className="ml-2 text-sm font-normal text-slate-500 dark:text-slate-400">
            {answer.columns[0]}
          </span>
        </p>
      ) : (
        <>
          <AnswerChart spec={answer.chart} columns={answer.columns} rows={answer.rows} />
          <ResultTable
            caption={`Result of: ${answer.question}`}
            columns={answer.columns}
            rows={answer.rows}
            rowCount={answer.rowCount}
            truncated={answer.truncated}
          />
        </>
      )}

      <div
        className={cx(
          "flex flex-wrap items-center gap-2 border-t border-slate-100 pt-2 dark:border-slate-800",
          compact && "text-xs",
        )}
      >
        {message.feedback ? (
          <span
            className="inline-flex items-center gap-1 text-sm text-emerald-600 dark:text-emerald-400"
            role="status"
          >
            <Icon name="check" />
            {message.feedback === "correct"
              ? "Thanks! Saved as a correct example."
              : "Thanks! Your correction is saved and will be used for similar questions."}
          </span>
        ) : (
          <>
            <span className="text-xs text-slate-500 dark:text-slate-400">Is this right?</span>
            <Button size="sm" icon="thumbUp" busy={confirming} onClick={() => void markCorrect()}>
              This is correct
            </Button>
            <Button size="sm" icon="wand" onClick={() => setImproving(true)}>
              Help improve this answer
            </Button>
            <HelpLink page="your-own-database.md" className="text-xs text-slate-500 dark:text-slate-400">
              How corrections teach askdb
            </HelpLink>
          </>
        )}
      </div>
      {feedbackError ? <ErrorNotice error={feedbackError} /> : null}

      <ImproveDialog
        open={improving}
        question={answer.question}
        sql={answer.sql}
        historyId={answer.id}
        onClose={() => setImproving(false)}
        onSaved={(sql, preview) => setFeedback(message.id, "corrected", answerWithSql(answer, sql, preview))}
      />
    </>
  );
}
