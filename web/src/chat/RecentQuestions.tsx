import { useEffect } from "react";
import { api } from "../api/index.js";
import { Icon } from "../components/icons.js";
import { cx } from "../components/ui.js";
import { useLoad } from "../lib/hooks.js";
import { useChat } from "../state/chat.js";

/** Past questions (the server's history), newest first; a click asks one again. */
export function RecentQuestions() {
  const { ask, busy, messages } = useChat();
  const history = useLoad(() => api.history({ limit: 30 }));
  const reload = history.reload;
  useEffect(() => {
    if (!busy) void reload();
  }, [busy, messages.length, reload]);
  const seen = new Set<string>();
  const items = (history.data?.items ?? []).filter((item) => {
    const key = item.question.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return (
    <aside
      aria-label="Recent questions"
      className="hidden w-64 shrink-0 overflow-y-auto border-r border-slate-200 p-3 lg:block dark:border-slate-800"
    >
      <h2 className="px-2 pb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
        Recent questions
      </h2>
      {items.length === 0 ? (
        <p className="px-2 text-sm text-slate-400">Questions you ask appear here.</p>
      ) : (
        <ul className="space-y-0.5">
          {items.map((item) => (
            <li key={item.id}>
              <button
                type="button"
                disabled={busy}
                onClick={() => void ask(item.question)}
                title={item.error ? `Failed: ${item.error}` : (item.sql ?? undefined)}
                className={cx(
                  "flex w-full items-start gap-2 rounded-md px-2 py-1.5 text-left text-sm hover:bg-slate-100 disabled:opacity-60 dark:hover:bg-slate-800",
                  item.error ? "text-slate-400" : "text-slate-700 dark:text-slate-300",
                )}
              >
                <Icon name={item.error ? "alert" : "chat"} className="mt-0.5 size-3.5 shrink-0" />
                <span className="line-clamp-2">{item.question}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
