import { sql, SQLite } from "@codemirror/lang-sql";
import { oneDark } from "@codemirror/theme-one-dark";
import CodeMirror, { EditorView } from "@uiw/react-codemirror";
import { useMemo } from "react";
import { useTheme } from "../state/theme.js";

const language = sql({ dialect: SQLite, upperCaseKeywords: true });

/** SQL with SQLite highlighting; read-only when no `onChange` is given. */
export function SqlEditor({
  value,
  onChange,
  label,
  onSubmit,
  minHeight,
}: {
  value: string;
  onChange?: (value: string) => void;
  label: string;
  /** Ctrl/Cmd+Enter. */
  onSubmit?: () => void;
  minHeight?: string;
}) {
  const { theme } = useTheme();
  const extensions = useMemo(
    () => [language, EditorView.lineWrapping, EditorView.contentAttributes.of({ "aria-label": label })],
    [label],
  );
  const readOnly = !onChange;
  return (
    <div
      className="overflow-hidden rounded-lg border border-slate-200 dark:border-slate-800"
      onKeyDown={(event) => {
        if (onSubmit && event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          onSubmit();
        }
      }}
    >
      <CodeMirror
        value={value}
        onChange={onChange}
        readOnly={readOnly}
        editable={!readOnly}
        extensions={extensions}
        theme={theme === "dark" ? oneDark : "light"}
        minHeight={minHeight}
        basicSetup={{
          lineNumbers: !readOnly,
          foldGutter: false,
          highlightActiveLine: !readOnly,
          highlightActiveLineGutter: !readOnly,
          autocompletion: !readOnly,
        }}
      />
    </div>
  );
}
