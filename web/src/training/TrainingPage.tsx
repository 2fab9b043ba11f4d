import { useEffect, useState } from "react";
import { api, type KnowledgeItem, type KnowledgeKind, type SqlResult } from "../api/index.js";
import { SqlEditor } from "../chat/SqlEditor.js";
import { ResultTable } from "../chat/ResultTable.js";
import { Icon } from "../components/icons.js";
import {
  Badge,
  Button,
  Card,
  ConfirmDialog,
  Dialog,
  EmptyState,
  ErrorNotice,
  Field,
  PageHeader,
  Spinner,
  cx,
  inputClass,
} from "../components/ui.js";
import { formatDateTime } from "../lib/format.js";
import { useLoad } from "../lib/hooks.js";

const KINDS: Array<{ id: KnowledgeKind | "all"; label: string }> = [
  { id: "all", label: "All" },
  { id: "question_sql", label: "Question & SQL" },
  { id: "documentation", label: "Documentation" },
  { id: "ddl", label: "Schema (DDL)" },
];

const KIND_LABELS: Record<KnowledgeKind, string> = {
  question_sql: "Question & SQL",
  documentation: "Documentation",
  ddl: "DDL",
};

const PAGE_SIZE = 50;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

export function TrainingPage() {
  const [kind, setKind] = useState<KnowledgeKind | "all">("all");
  const [search, setSearch] = useState("");
  const [limit, setLimit] = useState(PAGE_SIZE);
  const query = useDebounced(search.trim(), 250);
  const list = useLoad(
    () => api.knowledge({ kind: kind === "all" ? undefined : kind, search: query, limit }),
    [kind, query, limit],
  );
  const [adding, setAdding] = useState(false);
  const [pendingDelete, setPendingDelete] = useState<KnowledgeItem | null>(null);
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? items.length;

  return (
    <>
      <PageHeader
        title="Training data"
        description="What askdb knows about this database: the schema, your documentation, and example questions with the SQL that answers them. Similar questions reuse the examples, even without a model."
        actions={
          <Button variant="primary" icon="plus" onClick={() => setAdding(true)}>
            Add example
          </Button>
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <div
          className="flex rounded-lg bg-slate-100 p-1 dark:bg-slate-800"
          role="tablist"
          aria-label="Kind of training data"
        >
          {KINDS.map((entry) => (
            <button
              key={entry.id}
              type="button"
              role="tab"
              aria-selected={kind === entry.id}
              onClick={() => (setKind(entry.id), setLimit(PAGE_SIZE))}
              className={cx(
                "rounded-md px-3 py-1 text-sm font-medium",
                kind === entry.id
                  ? "bg-white text-slate-900 shadow-sm dark:bg-slate-950 dark:text-slate-100"
                  : "text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
              )}
            >
              {entry.label}
            </button>
          ))}
        </div>
        <div className="relative min-w-56 flex-1">
          <Icon name="search" className="pointer-events-none absolute top-2.5 left-3 size-4 text-slate-400" />
          <label htmlFor="knowledge-search" className="sr-only">
            Search training data
          </label>
          <input
            id="knowledge-search"
            type="search"
            value={search}
            onChange={(event) => (setSearch(event.target.value), setLimit(PAGE_SIZE))}
            placeholder="Search questions, SQL and documentation…"
            className={cx(inputClass, "pl-9")}
          />
        </div>
      </div>
      {list.error ? (
        <ErrorNotice error={list.error} onRetry={() => void list.reload()} className="mb-4" />
      ) : null}
      <Card>
        {list.loading && !list.data ? (
          <div className="flex justify-center py-12">
            <Spinner label="Loading training data" />
          </div>
        ) : items.length === 0 ? (
          <EmptyState icon="book" title={query ? "Nothing matches your search" : "No training data yet"}>
            {query
              ? "Try other words."
              : "Add a question with the SQL that answers it, or correct an answer in the chat."}
          </EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Training data">
            {items.map((item) => (
              <KnowledgeRow key={item.id} item={item} onDelete={() => setPendingDelete(item)} />
            ))}
          </ul>
        )}
      </Card>
      <div className="mt-3 flex items-center justify-between text-sm text-slate-500 dark:text-slate-400">
        <span>
          {items.length} of {total} shown
        </span>
        {items.length < total ? (
          <Button size="sm" onClick={() => setLimit(limit + PAGE_SIZE)}>
            Show more
          </Button>
        ) : null}
      </div>
      <AddExampleDialog open={adding} onClose={() => setAdding(false)} onAdded={() => void list.reload()} />
      <ConfirmDialog
        open={pendingDelete !== null}
        title="Delete this training item?"
        message={
          <>
            askdb will no longer use it.
            {pendingDelete?.question ? (
              <span className="mt-2 block font-medium text-slate-800 dark:text-slate-100">
                “{pendingDelete.question}”
              </span>
            ) : null}
          </>
        }
        confirmLabel="Delete"
        onConfirm={async () => {
          if (pendingDelete) await api.deleteKnowledge(pendingDelete.id);
          await list.reload();
        }}
        onClose={() => setPendingDelete(null)}
      />
    </>
  );
}

function KnowledgeRow({ item, onDelete }: { item: KnowledgeItem; onDelete: () => void }) {
  const [expanded, setExpanded] = useState(false);
  const heading = item.question ?? item.title ?? firstLine(item.content);
  return (
    <li className="group flex gap-4 px-4 py-3" data-testid="knowledge-item">
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <Badge
            tone={item.kind === "question_sql" ? "indigo" : item.kind === "documentation" ? "sky" : "slate"}
          >
            {KIND_LABELS[item.kind]}
          </Badge>
          {item.source ? <span className="text-xs text-slate-400">from {item.source}</span> : null}
          {item.createdAt ? (
            <span className="text-xs text-slate-400">· {formatDateTime(item.createdAt)}</span>
          ) : null}
        </div>
        <button
          type="button"
          onClick={() => setExpanded(!expanded)}
          aria-expanded={expanded}
          className="mt-1 block max-w-full text-left text-sm font-medium hover:text-indigo-600 dark:hover:text-indigo-400"
        >
          {heading}
        </button>
        <pre className="mt-1 overflow-x-auto rounded-md bg-slate-50 px-2 py-1 font-mono text-xs whitespace-pre-wrap text-slate-600 dark:bg-slate-950 dark:text-slate-300">
          {expanded ? item.content : preview(item.content)}
        </pre>
      </div>
      <button
        type="button"
        onClick={onDelete}
        aria-label={`Delete ${heading}`}
        className="self-start rounded-md p-1.5 text-slate-400 hover:bg-rose-50 hover:text-rose-600 dark:hover:bg-rose-950"
      >
        <Icon name="trash" />
      </button>
    </li>
  );
}

const PREVIEW_LINES = 3;

/** The first lines of a long item, as the collapsed row shows it. */
function preview(text: string): string {
  const lines = text.split("\n");
  return lines.length > PREVIEW_LINES ? lines.slice(0, PREVIEW_LINES).join("\n") + "\n…" : text;
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim()) ?? text;
  return line.length > 120 ? line.slice(0, 117) + "…" : line;
}

function AddExampleDialog({
  open,
  onClose,
  onAdded,
}: {
  open: boolean;
  onClose: () => void;
  onAdded: () => void;
}) {
  const [kind, setKind] = useState<KnowledgeKind>("question_sql");
  const [question, setQuestion] = useState("");
  const [content, setContent] = useState("");
  const [preview, setPreview] = useState<SqlResult>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState<"test" | "save" | null>(null);

  useEffect(() => {
    if (!open) return;
    setQuestion("");
    setContent("");
    setPreview(undefined);
    setError(undefined);
  }, [open]);

  const pair = kind === "question_sql";
  const missing = !content.trim()
    ? pair
      ? "Write the SQL that answers the question."
      : "Write the text to add."
    : pair && !question.trim()
      ? "Write the question."
      : null;

  const test = async () => {
    setBusy("test");
    setError(undefined);
    try {
      setPreview(await api.runSql(content));
    } catch (caught) {
      setPreview(undefined);
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    setBusy("save");
    setError(undefined);
    try {
      await api.addKnowledge({ kind, content, ...(pair ? { question: question.trim() } : {}) });
      onAdded();
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Dialog
      open={open}
      size="lg"
      title="Add training data"
      description="A question with the SQL that answers it teaches askdb best. The SQL is checked against the database before it is saved."
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          {pair ? (
            <Button icon="play" busy={busy === "test"} disabled={!content.trim()} onClick={() => void test()}>
              Test SQL
            </Button>
          ) : null}
          <Button
            variant="primary"
            icon="check"
            busy={busy === "save"}
            disabled={missing !== null}
            title={missing ?? undefined}
            onClick={() => void save()}
          >
            Save
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        <Field label="Kind" htmlFor="new-kind">
          <select
            id="new-kind"
            value={kind}
            onChange={(event) => setKind(event.target.value as KnowledgeKind)}
            className={inputClass}
          >
            <option value="question_sql">Question and SQL</option>
            <option value="documentation">Documentation</option>
            <option value="ddl">Schema (DDL)</option>
          </select>
        </Field>
        {pair ? (
          <>
            <Field label="Question" htmlFor="new-question" hint="As a person would ask it.">
              <input
                id="new-question"
                value={question}
                onChange={(event) => setQuestion(event.target.value)}
                placeholder="Which products are low on stock?"
                className={inputClass}
              />
            </Field>
            <div className="space-y-1.5">
              <p className="text-sm font-medium text-slate-700 dark:text-slate-200">SQL</p>
              <SqlEditor
                value={content}
                onChange={setContent}
                label="SQL that answers the question"
                onSubmit={() => void test()}
                minHeight="120px"
              />
            </div>
          </>
        ) : (
          <Field
            label={kind === "ddl" ? "CREATE statement" : "Documentation"}
            htmlFor="new-content"
            hint={
              kind === "documentation"
                ? "Business terms, what columns mean, rules such as “active means status = 1”."
                : undefined
            }
          >
            <textarea
              id="new-content"
              rows={8}
              value={content}
              onChange={(event) => setContent(event.target.value)}
              className={cx(inputClass, "font-mono")}
            />
          </Field>
        )}
        {error ? <ErrorNotice error={error} /> : null}
        {preview ? (
          <ResultTable
            caption="Rows the SQL returns"
            columns={preview.columns}
            rows={preview.rows}
            rowCount={preview.rowCount}
            truncated={preview.truncated}
          />
        ) : null}
      </div>
    </Dialog>
  );
}
