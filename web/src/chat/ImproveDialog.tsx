import { useEffect, useState } from "react";
import { api, type Answer, type SqlResult } from "../api/index.js";
import { Button, Dialog, ErrorNotice } from "../components/ui.js";
import { ResultTable } from "./ResultTable.js";
import { SqlEditor } from "./SqlEditor.js";

/**
 * "Help improve this answer": edit the SQL, run it to preview the rows, save it as the example the
 * next similar question uses.
 */
export function ImproveDialog({
  open,
  question,
  sql,
  historyId,
  onClose,
  onSaved,
}: {
  open: boolean;
  question: string;
  sql: string;
  historyId?: string;
  onClose: () => void;
  onSaved: (sql: string, preview?: SqlResult) => void;
}) {
  const [draft, setDraft] = useState(sql);
  const [preview, setPreview] = useState<SqlResult>();
  const [previewedSql, setPreviewedSql] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [running, setRunning] = useState(false);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (!open) return;
    setDraft(sql);
    setPreview(undefined);
    setPreviewedSql(undefined);
    setError(undefined);
  }, [open, sql]);

  const runPreview = async () => {
    setRunning(true);
    setError(undefined);
    try {
      setPreview(await api.runSql(draft));
      setPreviewedSql(draft);
    } catch (caught) {
      setError(caught);
      setPreview(undefined);
    } finally {
      setRunning(false);
    }
  };

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      if (historyId) await api.correct(historyId, draft);
      else await api.train("question_sql", draft, question);
      onSaved(draft, previewedSql === draft ? preview : undefined);
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const unchanged = draft.trim() === sql.trim();

  return (
    <Dialog
      open={open}
      size="lg"
      title="Help improve this answer"
      description="Fix the SQL, run it to check the rows, then save it. askdb uses it for this question and similar ones from now on."
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button icon="play" busy={running} onClick={() => void runPreview()} disabled={!draft.trim()}>
            Run preview
          </Button>
          <Button
            variant="primary"
            icon="check"
            busy={saving}
            onClick={() => void save()}
            disabled={!draft.trim()}
          >
            {unchanged ? "Save as correct example" : "Save corrected example"}
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        <div>
          <p className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
            Question
          </p>
          <p className="mt-1 text-sm font-medium">{question}</p>
        </div>
        <div>
          <p className="mb-1 text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
            SQL <span className="font-normal normal-case">(Ctrl+Enter runs the preview)</span>
          </p>
          <SqlEditor
            value={draft}
            onChange={setDraft}
            label="Corrected SQL"
            onSubmit={() => void runPreview()}
            minHeight="120px"
          />
        </div>
        {error ? <ErrorNotice error={error} /> : null}
        {preview ? (
          <div>
            <p className="mb-1 text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
              Preview
            </p>
            <ResultTable
              caption="Preview of the corrected SQL"
              columns={preview.columns}
              rows={preview.rows}
              rowCount={preview.rowCount}
              truncated={preview.truncated}
            />
          </div>
        ) : null}
      </div>
    </Dialog>
  );
}

/** An answer as the preview of the saved SQL shows it (the chat replaces the wrong one with it). */
export function answerWithSql(answer: Answer, sql: string, preview?: SqlResult): Answer {
  if (!preview) return { ...answer, sql };
  return {
    ...answer,
    sql,
    columns: preview.columns,
    rows: preview.rows,
    rowCount: preview.rowCount,
    truncated: preview.truncated,
    chart: preview.chart,
  };
}
