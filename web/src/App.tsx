import { ChatLauncher } from "./chat/ChatLauncher.js";
import { ChatView } from "./chat/ChatView.js";
import { RecentQuestions } from "./chat/RecentQuestions.js";
import { Icon, type IconName } from "./components/icons.js";
import { cx, Spinner } from "./components/ui.js";
import { useRoute, type Route } from "./lib/hooks.js";
import { storageBlocked } from "./lib/storage.js";
import { ModelsPage } from "./models/ModelsPage.js";
import { SettingsPage } from "./settings/SettingsPage.js";
import { ChatProvider } from "./state/chat.js";
import { readinessOf, StatusProvider, useStatus, type Readiness } from "./state/status.js";
import { ThemeProvider, useTheme } from "./state/theme.js";
import { TrainingPage } from "./training/TrainingPage.js";

const STORAGE_BLOCKED = storageBlocked();

const NAV: Array<{ route: Route; label: string; icon: IconName }> = [
  { route: "chat", label: "Chat", icon: "chat" },
  { route: "models", label: "Models", icon: "cpu" },
  { route: "training", label: "Training data", icon: "book" },
  { route: "settings", label: "Settings", icon: "settings" },
];

export function App() {
  return (
    <ThemeProvider>
      <StatusProvider>
        <ChatProvider>
          <Shell />
        </ChatProvider>
      </StatusProvider>
    </ThemeProvider>
  );
}

function Shell() {
  const route = useRoute();
  const page = route === "home" ? "chat" : route;
  return (
    <div className="flex h-full flex-col">
      <TopBar current={page} />
      {STORAGE_BLOCKED ? <StorageNotice /> : null}
      <main className={cx("min-h-0 flex-1", page === "chat" ? "flex flex-col" : "overflow-y-auto")}>
        {page === "chat" ? (
          <div className="flex h-full min-h-0 flex-1">
            <RecentQuestions />
            <div className="mx-auto flex h-full min-h-0 w-full max-w-4xl flex-1 flex-col">
              <ChatView />
            </div>
          </div>
        ) : (
          <div className="mx-auto w-full max-w-6xl px-4 py-8 sm:px-8">
            {page === "models" ? <ModelsPage /> : page === "training" ? <TrainingPage /> : <SettingsPage />}
          </div>
        )}
      </main>
      {page === "chat" ? null : <ChatLauncher />}
    </div>
  );
}

function StorageNotice() {
  return (
    <p
      role="status"
      className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-center text-sm text-amber-800 dark:border-amber-900 dark:bg-amber-950/60 dark:text-amber-200"
    >
      This browser does not let askdb keep anything here (for example inside another site&apos;s frame):
      everything works, but your theme choice is not remembered.
    </p>
  );
}

function TopBar({ current }: { current: Route }) {
  const { theme, toggle } = useTheme();
  const { status } = useStatus();
  return (
    <header className="border-b border-slate-200 bg-white/80 backdrop-blur dark:border-slate-800 dark:bg-slate-900/80">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-4 px-4 sm:px-8">
        <a href="#/chat" className="flex items-center gap-2 font-semibold tracking-tight">
          <span className="flex size-7 items-center justify-center rounded-lg bg-indigo-600 text-white">
            <Icon name="database" className="size-4" />
          </span>
          askdb
        </a>
        {status?.database ? (
          <span
            className="hidden max-w-48 truncate rounded-md bg-slate-100 px-2 py-0.5 text-xs text-slate-600 md:inline dark:bg-slate-800 dark:text-slate-300"
            title={status.database.path}
          >
            {status.database.name}
            {status.database.demo ? " (demo)" : ""}
          </span>
        ) : null}
        <nav aria-label="Main" className="flex flex-1 items-center gap-1 overflow-x-auto">
          {NAV.map((item) => (
            <a
              key={item.route}
              href={`#/${item.route}`}
              aria-current={current === item.route ? "page" : undefined}
              className={cx(
                "flex items-center gap-1.5 rounded-lg px-3 py-1.5 text-sm font-medium whitespace-nowrap",
                current === item.route
                  ? "bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300"
                  : "text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800",
              )}
            >
              <Icon name={item.icon} />
              <span className="hidden sm:inline">{item.label}</span>
            </a>
          ))}
        </nav>
        <ReadinessPill />
        <button
          type="button"
          onClick={toggle}
          aria-label={theme === "dark" ? "Switch to light mode" : "Switch to dark mode"}
          className="rounded-lg p-2 text-slate-500 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800"
        >
          <Icon name={theme === "dark" ? "sun" : "moon"} />
        </button>
      </div>
    </header>
  );
}

const PILLS: Record<Readiness, { label: string; dot: string; title: string }> = {
  offline: { label: "Offline", dot: "bg-rose-500", title: "askdb serve is not reachable" },
  unavailable: { label: "Status unknown", dot: "bg-amber-500", title: "askdb could not report its status" },
  starting: { label: "Connecting", dot: "bg-slate-400", title: "Connecting to askdb" },
  "no-model": {
    label: "No AI model",
    dot: "bg-amber-500",
    title: "Only saved examples can be answered until a model is downloaded",
  },
  downloading: { label: "Downloading", dot: "bg-sky-500", title: "A model is downloading" },
  loading: { label: "Loading model", dot: "bg-sky-500", title: "The AI model is loading into memory" },
  busy: { label: "Busy", dot: "bg-amber-500", title: "Answering a question" },
  error: {
    label: "Needs attention",
    dot: "bg-rose-500",
    title: "The last attempt to use the AI model failed",
  },
  ready: { label: "Ready", dot: "bg-emerald-500", title: "Ready to answer" },
};

function ReadinessPill() {
  const { status, error } = useStatus();
  const readiness = readinessOf(status, error);
  const pill = PILLS[readiness];
  const title =
    readiness === "ready" && status?.activeModel
      ? `Ready · ${status.activeModel} (${status.backend})`
      : readiness === "error" && status?.engine?.error
        ? `${pill.title}: ${status.engine.error}`
        : pill.title;
  return (
    <span
      role="status"
      aria-label={`askdb status: ${pill.label}`}
      title={title}
      data-testid="readiness"
      className="hidden items-center gap-1.5 rounded-full border border-slate-200 px-2.5 py-1 text-xs text-slate-600 sm:flex dark:border-slate-700 dark:text-slate-300"
    >
      {readiness === "loading" || readiness === "starting" ? (
        <Spinner className="size-3" />
      ) : (
        <span className={cx("size-2 rounded-full", pill.dot)} />
      )}
      {pill.label}
    </span>
  );
}
