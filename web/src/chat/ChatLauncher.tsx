import { useState } from "react";
import { Icon } from "../components/icons.js";
import { useEscape } from "../lib/hooks.js";
import { useChat } from "../state/chat.js";
import { ChatView } from "./ChatView.js";

/** The floating chat button (bottom right) and the panel it opens; the app this was designed for embeds it so. */
export function ChatLauncher() {
  const [open, setOpen] = useState(false);
  const { busy } = useChat();
  // Esc closes an open dialog first (its own handler), the panel only when no dialog is up.
  useEscape(open, () => {
    if (!document.querySelector("[role=dialog]")) setOpen(false);
  });
  return (
    <>
      {open ? (
        <section
          aria-label="Chat with your database"
          className="fixed right-4 bottom-24 z-50 flex h-[min(44rem,calc(100vh-8rem))] w-[min(30rem,calc(100vw-2rem))] flex-col overflow-hidden rounded-2xl border border-slate-200 bg-white shadow-2xl dark:border-slate-800 dark:bg-slate-900"
        >
          <header className="flex items-center justify-between border-b border-slate-200 px-4 py-2.5 dark:border-slate-800">
            <h2 className="flex items-center gap-2 text-sm font-semibold">
              <Icon name="sparkles" className="size-4 text-indigo-600" />
              Ask your data
            </h2>
            <div className="flex items-center gap-1">
              <a
                href="#/chat"
                onClick={() => setOpen(false)}
                className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
                aria-label="Open the full-page chat"
                title="Full page"
              >
                <Icon name="expand" />
              </a>
              <button
                type="button"
                onClick={() => setOpen(false)}
                className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 dark:hover:bg-slate-800"
                aria-label="Close chat"
              >
                <Icon name="close" />
              </button>
            </div>
          </header>
          <div className="min-h-0 flex-1">
            <ChatView compact />
          </div>
        </section>
      ) : null}
      <button
        type="button"
        onClick={() => setOpen((value) => !value)}
        aria-label={open ? "Close chat" : "Open chat"}
        aria-expanded={open}
        className="fixed right-5 bottom-5 z-50 flex size-14 items-center justify-center rounded-full bg-indigo-600 text-white shadow-lg ring-4 ring-indigo-600/20 transition hover:scale-105 hover:bg-indigo-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
      >
        <Icon name={open ? "close" : "chat"} className="size-6" />
        {busy && !open ? (
          <span className="absolute top-1 right-1 size-3 animate-pulse rounded-full bg-amber-400" />
        ) : null}
      </button>
    </>
  );
}
