import { useEffect, useMemo, useState, type ReactNode } from "react";
import { api, type FeatureFlag, type SettingDetail, type Settings } from "../api/index.js";
import { Icon } from "../components/icons.js";
import {
  Badge,
  Button,
  Card,
  ConfirmDialog,
  ErrorNotice,
  Field,
  PageHeader,
  Spinner,
  Toggle,
  cx,
  inputClass,
  type Tone,
} from "../components/ui.js";
import { useLoad } from "../lib/hooks.js";
import { useStatus } from "../state/status.js";

type Backend = "llamacpp" | "ollama" | "openai";

const BACKENDS: Array<{ id: Backend; label: string; description: string }> = [
  {
    id: "llamacpp",
    label: "Local (llama.cpp)",
    description: "Runs the downloaded model on this computer. Nothing leaves it.",
  },
  { id: "ollama", label: "Ollama", description: "Uses a model served by Ollama." },
  {
    id: "openai",
    label: "OpenAI-compatible server",
    description: "llama.cpp server, vLLM, LM Studio or a hosted API.",
  },
];

const RETENTIONS = [
  { value: "session", label: "Until askdb stops" },
  { value: "1d", label: "1 day" },
  { value: "7d", label: "7 days" },
  { value: "30d", label: "30 days" },
  { value: "90d", label: "90 days" },
  { value: "forever", label: "Forever" },
];

const PHASE_TONES: Record<string, Tone> = {
  development: "rose",
  alpha: "amber",
  beta: "sky",
  release_candidate: "emerald",
  deprecated: "slate",
};

/** A form field's text; empty means "automatic" (null) for the nullable numbers. */
type Draft = Record<string, string | boolean>;

const NUMBER_KEYS = [
  "engine.threads",
  "engine.contextSize",
  "engine.keepAliveSeconds",
  "query.maxRows",
  "query.timeoutMs",
  "extension.maxContextChars",
] as const;
/** Numbers where empty means "let askdb choose" (null); the others keep their value when emptied. */
const AUTOMATIC_WHEN_EMPTY = new Set<string>(["engine.threads", "engine.contextSize"]);
const TEXT_KEYS = ["ollama.url", "ollama.model", "openai.url", "openai.model", "openai.apiKeyEnv"] as const;
const RETENTION_KEYS = ["privacy.historyRetention", "extension.contextRetention"] as const;
const BOOLEAN_KEYS = ["privacy.allowRemote", "extension.autoExtract"] as const;
/** Lists, edited as comma-separated text. */
const LIST_KEYS = ["extension.domainAllowlist", "extension.contentTypes"] as const;

function draftOf(settings: Settings): Draft {
  const draft: Draft = {};
  for (const key of [...NUMBER_KEYS, ...TEXT_KEYS, ...RETENTION_KEYS]) {
    const value = settings[key];
    draft[key] = value === null || value === undefined ? "" : String(value);
  }
  const order = (settings["backend.order"] as Backend[] | undefined) ?? ["llamacpp"];
  draft.backend = order[0] ?? "llamacpp";
  draft.fallbackLocal = order[0] !== "llamacpp" && order.includes("llamacpp");
  for (const key of BOOLEAN_KEYS) draft[key] = settings[key] === true;
  for (const key of LIST_KEYS) draft[key] = ((settings[key] as string[] | undefined) ?? []).join(", ");
  return draft;
}

/** The settings the draft changes, typed as the API wants them. */
function changesOf(draft: Draft, saved: Draft): Settings {
  const changes: Settings = {};
  for (const key of NUMBER_KEYS) {
    if (draft[key] === saved[key]) continue;
    const text = String(draft[key]).trim();
    if (text === "" && !AUTOMATIC_WHEN_EMPTY.has(key)) continue;
    changes[key] = text === "" ? null : Number(text);
  }
  for (const key of [...TEXT_KEYS, ...RETENTION_KEYS]) {
    if (draft[key] === saved[key]) continue;
    const text = String(draft[key]).trim();
    changes[key] = text === "" && key !== "openai.apiKeyEnv" ? null : text;
  }
  if (draft.backend !== saved.backend || draft.fallbackLocal !== saved.fallbackLocal) {
    const first = draft.backend as Backend;
    changes["backend.order"] = first !== "llamacpp" && draft.fallbackLocal ? [first, "llamacpp"] : [first];
  }
  for (const key of BOOLEAN_KEYS) if (draft[key] !== saved[key]) changes[key] = draft[key];
  for (const key of LIST_KEYS) {
    if (draft[key] === saved[key]) continue;
    changes[key] = String(draft[key])
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  }
  return changes;
}

export function SettingsPage() {
  const loaded = useLoad(api.settings);
  const { refresh } = useStatus();
  const saved = useMemo(() => (loaded.data ? draftOf(loaded.data.settings) : undefined), [loaded.data]);
  const [draft, setDraft] = useState<Draft>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const [savedAt, setSavedAt] = useState<number>();

  useEffect(() => {
    if (saved) setDraft(saved);
  }, [saved]);

  const details = useMemo(
    () => new Map((loaded.data?.details ?? []).map((detail) => [detail.key, detail])),
    [loaded.data],
  );

  if (!draft || !saved) {
    return (
      <>
        <PageHeader title="Settings" />
        {loaded.error ? (
          <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} />
        ) : (
          <Spinner label="Loading settings" />
        )}
      </>
    );
  }

  const changes = changesOf(draft, saved);
  const dirty = Object.keys(changes).length > 0;
  const set = (key: string) => (value: string | boolean) => setDraft({ ...draft, [key]: value });

  const save = async () => {
    setSaving(true);
    setError(undefined);
    try {
      await api.saveSettings(changes);
      await loaded.reload();
      setSavedAt(Date.now());
      void refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setSaving(false);
    }
  };

  const text = (
    key: string,
    label: string,
    props: { placeholder?: string; type?: string; min?: number } = {},
  ) => (
    <SettingField detail={details.get(key)} label={label} htmlFor={key}>
      <input
        id={key}
        type={props.type ?? "text"}
        min={props.min}
        inputMode={props.type === "number" ? "numeric" : undefined}
        value={String(draft[key])}
        placeholder={props.placeholder}
        disabled={details.get(key)?.source === "env"}
        onChange={(event) => set(key)(event.target.value)}
        className={inputClass}
      />
    </SettingField>
  );

  const numberField = (key: string, label: string, min: number, placeholder: string) =>
    text(key, label, { type: "number", min, placeholder });

  const toggle = (key: (typeof BOOLEAN_KEYS)[number], label: string, description: string) => (
    <ToggleRow
      id={key}
      label={label}
      description={description}
      checked={draft[key] === true}
      onChange={set(key)}
    />
  );

  const retention = (key: string, label: string) => (
    <SettingField detail={details.get(key)} label={label} htmlFor={key}>
      <select
        id={key}
        value={String(draft[key])}
        onChange={(event) => set(key)(event.target.value)}
        className={cx(inputClass, "max-w-xs")}
      >
        {RETENTIONS.some((option) => option.value === draft[key]) ? null : (
          <option value={String(draft[key])}>{String(draft[key])}</option>
        )}
        {RETENTIONS.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </SettingField>
  );

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <PageHeader
        title="Settings"
        description="Stored on this computer in askdb's data folder and kept across restarts."
        actions={
          <>
            {savedAt && !dirty ? (
              <span
                role="status"
                className="flex items-center gap-1 text-sm text-emerald-600 dark:text-emerald-400"
              >
                <Icon name="check" /> Saved
              </span>
            ) : null}
            <Button onClick={() => setDraft(saved)} disabled={!dirty || saving}>
              Discard
            </Button>
            <Button type="submit" variant="primary" busy={saving} disabled={!dirty}>
              Save changes
            </Button>
          </>
        }
      />
      {error ? <ErrorNotice error={error} className="mb-4" /> : null}
      <div className="space-y-6">
        <Section title="Model backend" description="Where the model that writes the SQL runs.">
          <fieldset>
            <legend className="sr-only">Backend</legend>
            <div className="grid gap-3 md:grid-cols-3">
              {BACKENDS.map((backend) => (
                <label
                  key={backend.id}
                  className={cx(
                    "flex cursor-pointer gap-3 rounded-lg border p-3 text-sm",
                    draft.backend === backend.id
                      ? "border-indigo-500 bg-indigo-50/60 ring-1 ring-indigo-500 dark:bg-indigo-950/40"
                      : "border-slate-200 hover:border-slate-300 dark:border-slate-700",
                  )}
                >
                  <input
                    type="radio"
                    name="backend"
                    value={backend.id}
                    checked={draft.backend === backend.id}
                    onChange={() => set("backend")(backend.id)}
                    className="mt-0.5 accent-indigo-600"
                  />
                  <span>
                    <span className="block font-medium">{backend.label}</span>
                    <span className="text-slate-500 dark:text-slate-400">{backend.description}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          {draft.backend === "ollama" ? (
            <div className="grid gap-4 md:grid-cols-2">
              {text("ollama.url", "Ollama URL", { placeholder: "http://127.0.0.1:11434" })}
              {text("ollama.model", "Ollama model", { placeholder: "qwen2.5-coder:1.5b" })}
            </div>
          ) : null}
          {draft.backend === "openai" ? (
            <div className="grid gap-4 md:grid-cols-3">
              {text("openai.url", "Server URL", { placeholder: "http://127.0.0.1:8080/v1" })}
              {text("openai.model", "Model name", { placeholder: "gpt-4o-mini" })}
              {text("openai.apiKeyEnv", "API key environment variable", { placeholder: "OPENAI_API_KEY" })}
            </div>
          ) : null}
          {draft.backend !== "llamacpp" ? (
            <ToggleRow
              id="fallback-local"
              label="Fall back to the local model"
              description="When the backend above does not answer, use the downloaded model instead."
              checked={draft.fallbackLocal === true}
              onChange={set("fallbackLocal")}
            />
          ) : null}
        </Section>

        <Section title="Performance" description="Leave a field empty to let askdb choose.">
          <div className="grid gap-4 md:grid-cols-3">
            {numberField("engine.threads", "CPU threads", 1, "Automatic (one per core)")}
            {numberField("engine.contextSize", "Context size (tokens)", 512, "Automatic")}
            {numberField("engine.keepAliveSeconds", "Keep the model loaded (seconds)", 0, "300")}
          </div>
        </Section>

        <Section
          title="Queries"
          description="Limits on every query askdb runs on your database (always read-only)."
        >
          <div className="grid gap-4 md:grid-cols-3">
            {numberField("query.maxRows", "Most rows returned", 1, "1000")}
            {numberField("query.timeoutMs", "Time limit (milliseconds)", 100, "10000")}
          </div>
        </Section>

        <Section title="Privacy" description="What askdb keeps, and what may leave this computer.">
          {retention("privacy.historyRetention", "Keep question history")}
          {toggle(
            "privacy.allowRemote",
            "Allow a remote backend to see my data",
            "Off by default. When on, questions, the schema and result rows may be sent to an Ollama or OpenAI-compatible server that is not on this computer.",
          )}
          <ClearHistory />
        </Section>

        <FlagsSection />
        <BrowserExtensionSection>
          {toggle(
            "extension.autoExtract",
            "Send page context automatically",
            "Off by default: the extension sends a page only when you turn on 'Use this page' for a question. When on, only pages of the sites below.",
          )}
          <div className="grid gap-4 md:grid-cols-2">
            {text("extension.domainAllowlist", "Sites that may be sent automatically", {
              placeholder: "suppliers.example.com, mail.example.com",
            })}
            {text("extension.contentTypes", "Kinds of page used as context", {
              placeholder: "text/html, text/plain",
            })}
            {numberField("extension.maxContextChars", "Most characters of page context", 100, "4000")}
            {retention("extension.contextRetention", "Keep page contexts")}
          </div>
        </BrowserExtensionSection>
      </div>
    </form>
  );
}

function Section({
  title,
  description,
  children,
}: {
  title: string;
  description?: string;
  children: ReactNode;
}) {
  return (
    <Card className="p-5">
      <section aria-label={title} className="space-y-4">
        <div>
          <h2 className="font-semibold">{title}</h2>
          {description ? <p className="text-sm text-slate-500 dark:text-slate-400">{description}</p> : null}
        </div>
        {children}
      </section>
    </Card>
  );
}

function SettingField({
  detail,
  label,
  htmlFor,
  children,
}: {
  detail?: SettingDetail;
  label: string;
  htmlFor: string;
  children: ReactNode;
}) {
  const hint =
    detail?.source === "env"
      ? `Set by an environment variable; change it there.`
      : uiWording(detail?.description);
  return (
    <Field label={label} htmlFor={htmlFor} hint={hint}>
      {children}
    </Field>
  );
}

/** The server words settings for the CLI, where "null" is a value; in a form it is an empty field. */
function uiWording(description: string | undefined): string | undefined {
  return description?.replace(/\(null: ([^)]*)\)/, "(when empty: $1)");
}

function ToggleRow({
  id,
  label,
  description,
  checked,
  onChange,
  disabled,
}: {
  id: string;
  label: string;
  description: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <div className="flex items-start justify-between gap-4">
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        <p className="text-sm text-slate-500 dark:text-slate-400">{description}</p>
      </div>
      <Toggle id={id} checked={checked} onChange={onChange} label={label} disabled={disabled} />
    </div>
  );
}

function ClearHistory() {
  const [confirming, setConfirming] = useState(false);
  const [cleared, setCleared] = useState<number>();
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 border-t border-slate-100 pt-4 dark:border-slate-800">
      <div>
        <p className="text-sm font-medium">Question history</p>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          {cleared === undefined ? "Past questions, their SQL and timings." : `Cleared ${cleared} entries.`}
        </p>
      </div>
      <Button variant="secondary" icon="trash" onClick={() => setConfirming(true)}>
        Clear history
      </Button>
      <ConfirmDialog
        open={confirming}
        title="Clear the question history?"
        message="Every past question, its SQL and timings are deleted. Saved examples and training data are kept."
        confirmLabel="Clear history"
        onConfirm={async () => setCleared((await api.clearHistory()).deleted)}
        onClose={() => setConfirming(false)}
      />
    </div>
  );
}

function FlagsSection() {
  const flags = useLoad(api.flags);
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState<string>();
  const toggle = async (flag: FeatureFlag, enabled: boolean) => {
    setPending(flag.id);
    setError(undefined);
    try {
      await api.setFlag(flag.id, enabled);
      await flags.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setPending(undefined);
    }
  };
  return (
    <Section title="Feature flags" description="Try features before they are finished. They apply at once.">
      {error ? <ErrorNotice error={error} /> : null}
      {flags.error ? <ErrorNotice error={flags.error} onRetry={() => void flags.reload()} /> : null}
      <ul className="divide-y divide-slate-100 dark:divide-slate-800">
        {(flags.data?.flags ?? []).map((flag) => (
          <li key={flag.id} className="flex items-start justify-between gap-4 py-3">
            <div className="min-w-0">
              <div className="flex flex-wrap items-center gap-2">
                <span className="text-sm font-medium">{flag.name}</span>
                <Badge tone={PHASE_TONES[flag.phase] ?? "slate"}>{flag.phase.replace(/_/g, " ")}</Badge>
                <code className="text-xs text-slate-400">{flag.id}</code>
              </div>
              <p className="text-sm text-slate-500 dark:text-slate-400">{flag.description}</p>
            </div>
            <Toggle
              checked={flag.enabled}
              label={flag.name}
              disabled={pending === flag.id}
              onChange={(enabled) => void toggle(flag, enabled)}
            />
          </li>
        ))}
      </ul>
    </Section>
  );
}

function BrowserExtensionSection({ children }: { children: ReactNode }) {
  const loaded = useLoad(api.extensionConnections, [], 5000);
  const [pairing, setPairing] = useState<{ code: string; expiresAt: string }>();
  const [error, setError] = useState<unknown>();
  const act = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      await loaded.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  const enabled = loaded.data?.enabled === true;
  return (
    <Section
      title="Browser extension"
      description="Ask from any page in your browser, with the page as context. Only paired extensions may ask."
    >
      {error ? <ErrorNotice error={error} /> : null}
      {loaded.error ? <ErrorNotice error={loaded.error} onRetry={() => void loaded.reload()} /> : null}
      {children}
      {!enabled ? (
        <p className="text-sm text-slate-500 dark:text-slate-400">
          Off. Turn on the Browser extension flag above to pair one.
        </p>
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <Button
            variant="secondary"
            onClick={() => void act(async () => setPairing(await api.createPairingCode()))}
          >
            Pair a browser
          </Button>
          {pairing ? (
            <p className="text-sm" role="status">
              Enter <code className="font-semibold">{pairing.code}</code> in the extension (valid until{" "}
              {new Date(pairing.expiresAt).toLocaleTimeString()}, once).
            </p>
          ) : null}
        </div>
      )}
      <table className="mt-3 w-full text-left text-sm" aria-label="Paired browsers">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1">Browser</th>
            <th>Tabs</th>
            <th>Requests</th>
            <th>Paired</th>
            <th>Last activity</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(loaded.data?.connections ?? []).map((connection) => (
            <tr key={connection.id} className="border-t border-slate-100 dark:border-slate-800">
              <td className="py-1" title={connection.origin}>
                {connection.browser}
              </td>
              <td>{connection.tabCount}</td>
              <td>{connection.requestCount}</td>
              <td>{new Date(connection.establishedAt).toLocaleString()}</td>
              <td>{new Date(connection.lastActivityAt).toLocaleString()}</td>
              <td className="text-right">
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => void act(() => api.revokeExtension(connection.id))}
                >
                  Revoke
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {loaded.data ? (
        <p className="text-sm text-slate-500 dark:text-slate-400" aria-label="Connection status">
          {loaded.data.connected ? "Connected" : "Not connected"} · {loaded.data.count} paired
          {loaded.data.lastConnectionAt
            ? ` · last activity ${new Date(loaded.data.lastConnectionAt).toLocaleString()}`
            : ""}{" "}
          · protocol version {loaded.data.protocolVersion} · works in{" "}
          {loaded.data.supportedBrowsers.join(", ")}
        </p>
      ) : null}
    </Section>
  );
}
