/**
 * First run: no model installed. Invites the person to download the recommended model, shows the
 * download's progress (`1.2 GB / 2.0 GB`, percentage, speed, time left, Cancel), then
 * "Download complete! Initializing AI…".
 */
import { useEffect, useState } from "react";
import { api, type DownloadProgress, type ModelInfo } from "../api/index.js";
import { Icon } from "../components/icons.js";
import { DownloadProgressView, isDownloading } from "../components/DownloadProgress.js";
import { Badge, Button, ErrorNotice, HelpLink, Spinner } from "../components/ui.js";
import { formatBytes, formatParameters } from "../lib/format.js";
import { useLoad } from "../lib/hooks.js";
import { AddModelForm } from "../models/AddModelForm.js";
import { useStatus } from "../state/status.js";

const POLL_MS = 700;

/** Follows `GET /download-progress` while a download runs. */
function useDownloadProgress(active: boolean): DownloadProgress | undefined {
  const [progress, setProgress] = useState<DownloadProgress>();
  useEffect(() => {
    if (!active) return;
    setProgress(undefined);
    let stopped = false;
    const poll = async () => {
      try {
        const next = await api.downloadProgress();
        if (!stopped) setProgress(next);
      } catch {
        // the status banner reports an unreachable server; keep the last progress shown
      }
    };
    void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [active]);
  return progress;
}

type Phase = "offer" | "downloading" | "complete";

/** How long "Download complete! Initializing AI…" stays before the chat takes over. */
const HAND_OVER_MS = 3000;

export function ModelSetup({ onFinished }: { onFinished: () => void }) {
  const { status, refresh } = useStatus();
  const models = useLoad(api.models);
  const [phase, setPhase] = useState<Phase>(isDownloading(status?.download) ? "downloading" : "offer");
  const [error, setError] = useState<unknown>();
  const [starting, setStarting] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  /** A model file the person named instead of the recommended one (hf: spec or URL). */
  const [customSpec, setCustomSpec] = useState<string>();
  const [choosingFile, setChoosingFile] = useState(false);
  const progress = useDownloadProgress(phase === "downloading") ?? status?.download ?? undefined;

  const recommended: ModelInfo | undefined =
    models.data?.models.find((model) => model.id === models.data?.recommended) ??
    models.data?.models.find((model) => model.recommended);

  useEffect(() => {
    if (phase === "offer" && isDownloading(status?.download)) setPhase("downloading");
  }, [phase, status?.download]);

  useEffect(() => {
    if (phase !== "downloading" || !progress) return;
    if (progress.status === "completed") {
      setPhase("complete");
      void refresh();
    } else if (progress.status === "failed") {
      setError(new Error(progress.error ?? "the download failed"));
      setPhase("offer");
    } else if (progress.status === "cancelled" || progress.status === "paused") {
      setPhase("offer");
    }
  }, [phase, progress, refresh]);

  const installedElsewhere =
    phase === "offer" && status?.modelDownloaded === true && !isDownloading(status.download);
  useEffect(() => {
    if (installedElsewhere) onFinished();
  }, [installedElsewhere, onFinished]);

  useEffect(() => {
    if (phase !== "complete") return;
    const timer = setTimeout(onFinished, HAND_OVER_MS);
    return () => clearTimeout(timer);
  }, [phase, onFinished]);

  const start = async (spec = customSpec ?? recommended?.id) => {
    setStarting(true);
    setError(undefined);
    try {
      const started = await api.downloadModel(spec);
      setPhase(started.status === "completed" ? "complete" : "downloading");
      void refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setStarting(false);
    }
  };

  const cancel = async () => {
    setCancelling(true);
    try {
      await api.cancelDownload();
      setPhase("offer");
      void refresh();
    } catch (caught) {
      setError(caught);
    } finally {
      setCancelling(false);
    }
  };

  if (phase === "complete") {
    return (
      <section
        aria-label="AI model set-up"
        className="rounded-xl border border-emerald-200 bg-emerald-50 p-4 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950/50 dark:text-emerald-200"
      >
        <p className="flex items-center gap-2 font-medium" role="status">
          <Spinner className="size-4" />
          Download complete! Initializing AI…
        </p>
        <p className="mt-1 text-sm">
          The model loads with your first question; that first answer takes a little longer.
        </p>
      </section>
    );
  }

  const resumable = progress && progress.downloaded_bytes > 0 && progress.status !== "completed";
  return (
    <section
      aria-label="AI model set-up"
      className="rounded-xl border border-indigo-200 bg-indigo-50 p-4 dark:border-indigo-900/70 dark:bg-indigo-950/40"
    >
      <div className="flex gap-3">
        <div className="mt-0.5 self-start rounded-lg bg-indigo-100 p-2 text-indigo-700 dark:bg-indigo-900/60 dark:text-indigo-300">
          <Icon name="cpu" className="size-5" />
        </div>
        <div className="min-w-0 flex-1 space-y-3">
          <div>
            <p className="font-semibold text-indigo-900 dark:text-indigo-100">
              Download a model to ask any question
            </p>
            <p className="mt-1 text-sm text-indigo-800 dark:text-indigo-200/80">
              It runs on this computer and writes the SQL for you. Questions that match your saved examples
              are answered already, without it.{" "}
              <HelpLink page="models-and-hardware.md">Which model suits this computer?</HelpLink>
            </p>
          </div>
          {customSpec ? (
            <p className="text-sm break-all">
              <span className="font-medium">Model file:</span> <code>{customSpec}</code>
            </p>
          ) : recommended ? (
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium">{recommended.name}</span>
              <Badge tone="emerald">Recommended</Badge>
              <span className="text-slate-600 dark:text-slate-300">{formatBytes(recommended.sizeBytes)}</span>
              {recommended.parameters ? (
                <span className="text-slate-500 dark:text-slate-400">
                  · {formatParameters(recommended.parameters)} parameters
                </span>
              ) : null}
            </div>
          ) : models.loading ? (
            <Spinner className="size-4" />
          ) : null}
          {phase === "downloading" && progress ? (
            <DownloadProgressView
              progress={progress}
              onCancel={() => void cancel()}
              cancelling={cancelling}
            />
          ) : (
            <div className="flex flex-wrap items-center gap-2">
              <Button variant="primary" icon="download" busy={starting} onClick={() => void start()}>
                {resumable ? `Resume download (${formatBytes(progress.downloaded_bytes)} done)` : "Download"}
              </Button>
              <a
                className="text-sm font-medium text-indigo-800 hover:underline dark:text-indigo-200"
                href="#/models"
              >
                Choose another model
              </a>
              <button
                type="button"
                aria-expanded={choosingFile}
                onClick={() => setChoosingFile(!choosingFile)}
                className="text-sm font-medium text-indigo-800 hover:underline dark:text-indigo-200"
              >
                Use another model file…
              </button>
            </div>
          )}
          {choosingFile && phase === "offer" ? (
            <AddModelForm
              onSubmit={async (spec) => {
                setCustomSpec(spec);
                setChoosingFile(false);
                await start(spec);
              }}
            />
          ) : null}
          {error ? (
            <div className="space-y-1">
              <ErrorNotice error={error} />
              <HelpLink page="troubleshooting.md" className="text-sm text-indigo-800 dark:text-indigo-200">
                Download stuck or failing? See troubleshooting
              </HelpLink>
            </div>
          ) : null}
        </div>
      </div>
    </section>
  );
}
