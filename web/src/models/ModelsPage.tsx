import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, type LiveDownload, type ModelInfo, type ProgressView } from "../api/index.js";
import { Icon } from "../components/icons.js";
import {
  Badge,
  Button,
  Card,
  ConfirmDialog,
  ErrorNotice,
  HelpLink,
  PageHeader,
  Spinner,
  cx,
} from "../components/ui.js";
import { formatBytes, formatParameters } from "../lib/format.js";
import { useLoad } from "../lib/hooks.js";
import { AddModelForm } from "./AddModelForm.js";
import { DownloadProgressView, isDownloading } from "../components/DownloadProgress.js";
import { useStatus } from "../state/status.js";

type SizeFilter = "all" | "small" | "medium" | "large";

const SIZE_FILTERS: Array<{ id: SizeFilter; label: string; test: (bytes: number) => boolean }> = [
  { id: "all", label: "Any size", test: () => true },
  { id: "small", label: "Under 1 GB", test: (bytes) => bytes < 1e9 },
  { id: "medium", label: "1–3 GB", test: (bytes) => bytes >= 1e9 && bytes <= 3e9 },
  { id: "large", label: "Over 3 GB", test: (bytes) => bytes > 3e9 },
];

/** A download as the progress view shows it (the shape of `GET /download-progress`). */
function progressOf(download: LiveDownload): ProgressView {
  const total = download.totalBytes ?? 0;
  return {
    status: download.status,
    modelId: download.modelId,
    downloaded_bytes: download.downloadedBytes,
    total_bytes: total,
    downloaded_gb: download.downloadedBytes / 1e9,
    total_gb: total / 1e9,
    percentage: total > 0 ? (download.downloadedBytes / total) * 100 : 0,
    speed: download.bytesPerSecond,
    eta: download.etaSeconds,
    error: download.error?.message ?? null,
    stalled: download.stalled,
  };
}

const POLL_MS = 1000;

/**
 * Live downloads by model id: the SSE stream (reconnecting while the page is open), plus a poll of
 * `/api/downloads` while one is active, since the stream is throttled and may go quiet on a stall.
 */
function useLiveDownloads(onFinished: () => void): Map<string, LiveDownload> {
  const [downloads, setDownloads] = useState(() => new Map<string, LiveDownload>());
  useEffect(() => {
    const abort = new AbortController();
    const follow = async () => {
      while (!abort.signal.aborted) {
        try {
          await api.watchDownloads((event, download) => {
            setDownloads((current) => new Map(current).set(download.modelId, download));
            if (event !== "progress") onFinished();
          }, abort.signal);
        } catch {
          // server restarting or unreachable: retry below
        }
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    };
    void follow();
    return () => abort.abort();
  }, [onFinished]);

  const anyActive = [...downloads.values()].some((download) => isDownloading(progressOf(download)));
  useEffect(() => {
    if (!anyActive) return;
    const timer = setInterval(async () => {
      const { downloads: list } = await api.downloads().catch(() => ({ downloads: [] as LiveDownload[] }));
      setDownloads((current) => {
        const next = new Map(current);
        // Newest first: keep the latest download of each model already followed.
        for (const download of [...list].reverse())
          if (current.has(download.modelId)) next.set(download.modelId, download);
        return next;
      });
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [anyActive]);
  return downloads;
}

export function ModelsPage() {
  const listing = useLoad(api.models);
  const { refresh: refreshStatus } = useStatus();
  const [sizeFilter, setSizeFilter] = useState<SizeFilter>("all");
  const [tag, setTag] = useState<string | null>(null);
  const [pendingDelete, setPendingDelete] = useState<ModelInfo | null>(null);
  const [actionError, setActionError] = useState<unknown>();
  const reloadListing = listing.reload;
  const reloadAll = useCallback(() => {
    void reloadListing();
    void refreshStatus();
  }, [reloadListing, refreshStatus]);
  const live = useLiveDownloads(reloadAll);
  /** What the person typed for each model they added by hf: spec or URL, to resume it with. */
  const [specs, setSpecs] = useState<Record<string, string>>({});

  const models = listing.data?.models ?? [];
  const tags = useMemo(() => [...new Set(models.flatMap((model) => model.tags ?? []))].sort(), [models]);
  const sizeTest = SIZE_FILTERS.find((filter) => filter.id === sizeFilter)!.test;
  const visible = models.filter((model) => sizeTest(model.sizeBytes) && (!tag || model.tags?.includes(tag)));
  const local = visible.filter((model) => model.source !== "ollama");
  const installed = local.filter((model) => model.installed);
  const available = local.filter((model) => !model.installed);
  const ollama = visible.filter((model) => model.source === "ollama");
  const listed = new Set(models.map((model) => model.id));
  const otherDownloads = [...live.values()].filter(
    (download) => !listed.has(download.modelId) && download.status !== "completed",
  );

  const addModel = async (spec: string) => {
    const started = await api.pullModel(spec);
    setSpecs((current) => ({ ...current, [started.modelId]: spec }));
    reloadAll();
  };

  const act = async (action: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await action();
    } catch (error) {
      setActionError(error);
    } finally {
      reloadAll();
    }
  };

  const cardProps = (model: ModelInfo) => {
    const liveDownload = live.get(model.id);
    const download = liveDownload ?? model.download ?? null;
    return {
      model,
      totalMemoryBytes: listing.data?.totalMemoryBytes,
      progress: download ? progressOf(download) : null,
      onDownload: () => act(() => api.pullModel(model.id)),
      onCancel: () =>
        act(() =>
          liveDownload?.id ? api.cancelModelDownload(liveDownload.id) : api.cancelDownload(model.id),
        ),
      onActivate: () => act(() => api.activateModel(model.id)),
      onDelete: () => setPendingDelete(model),
    };
  };

  return (
    <>
      <PageHeader
        title="Models"
        description="The AI model writes the SQL on this computer. Smaller models answer faster; larger ones understand harder questions. Everything runs offline once downloaded."
        actions={
          <Button icon="refresh" onClick={reloadAll}>
            Refresh
          </Button>
        }
      />
      <div className="mb-6 flex flex-wrap items-center gap-2" role="group" aria-label="Filter models">
        <label htmlFor="size-filter" className="sr-only">
          Size
        </label>
        <select
          id="size-filter"
          value={sizeFilter}
          onChange={(event) => setSizeFilter(event.target.value as SizeFilter)}
          className="rounded-lg border-0 bg-white py-1.5 pr-8 pl-3 text-sm ring-1 ring-slate-300 dark:bg-slate-900 dark:ring-slate-700"
        >
          {SIZE_FILTERS.map((filter) => (
            <option key={filter.id} value={filter.id}>
              {filter.label}
            </option>
          ))}
        </select>
        {tags.map((name) => (
          <button
            key={name}
            type="button"
            aria-pressed={tag === name}
            onClick={() => setTag(tag === name ? null : name)}
            className={cx(
              "rounded-full px-3 py-1 text-xs font-medium ring-1 ring-inset",
              tag === name
                ? "bg-indigo-600 text-white ring-indigo-600"
                : "bg-white text-slate-600 ring-slate-300 hover:bg-slate-50 dark:bg-slate-900 dark:text-slate-300 dark:ring-slate-700",
            )}
          >
            {name}
          </button>
        ))}
      </div>
      {actionError ? <ErrorNotice error={actionError} className="mb-4" /> : null}
      {listing.error ? (
        <ErrorNotice error={listing.error} onRetry={() => void listing.reload()} className="mb-4" />
      ) : null}
      {listing.loading && !listing.data ? (
        <div className="flex justify-center py-12">
          <Spinner label="Loading models" />
        </div>
      ) : (
        <div className="space-y-10">
          <ModelSection title="Installed" empty="No model installed yet: download one below.">
            {installed.map((model) => (
              <ModelCard key={model.id} {...cardProps(model)} />
            ))}
          </ModelSection>
          <ModelSection
            title="Available to download"
            empty="Every model that matches the filter is installed."
          >
            {available.map((model) => (
              <ModelCard key={model.id} {...cardProps(model)} />
            ))}
          </ModelSection>
          {otherDownloads.length ? (
            <section aria-label="Other downloads">
              <h2 className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
                Other downloads
              </h2>
              <div className="grid gap-4 md:grid-cols-2">
                {otherDownloads.map((download) => (
                  <OtherDownload
                    key={download.id}
                    download={download}
                    onCancel={() => act(() => api.cancelModelDownload(download.id))}
                    onResume={
                      specs[download.modelId] ? () => act(() => addModel(specs[download.modelId])) : undefined
                    }
                  />
                ))}
              </div>
            </section>
          ) : null}
          {listing.data?.ollama?.ok === false ? (
            <p
              role="status"
              className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800 dark:bg-amber-950/50 dark:text-amber-200"
            >
              Ollama models are not listed:{" "}
              {listing.data.ollama.error ?? `the host at ${listing.data.ollama.url} did not answer`}. Start
              Ollama or fix its address in Settings.{" "}
              <HelpLink page="models-and-hardware.md">Using Ollama</HelpLink>
            </p>
          ) : null}
          {ollama.length ? (
            <ModelSection title="Ollama" empty="">
              {ollama.map((model) => (
                <ModelCard key={model.id} {...cardProps(model)} />
              ))}
            </ModelSection>
          ) : null}
        </div>
      )}
      <Card className="mt-10 p-5">
        <section aria-label="Add your own model">
          <h2 className="font-semibold">Add your own model</h2>
          <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">
            Any GGUF file: from Hugging Face as hf:owner/repo/file.gguf, or from an https:// address (for
            example a mirror on your network). It is checked after the download, like the catalog models.
          </p>
          <AddModelForm onSubmit={addModel} />
        </section>
      </Card>
      <ConfirmDialog
        open={pendingDelete !== null}
        title={`Delete ${pendingDelete?.name ?? "model"}?`}
        message={
          <>
            This removes the model file ({formatBytes(pendingDelete?.sizeBytes)}) from this computer. You can
            download it again later.
          </>
        }
        confirmLabel="Delete model"
        onConfirm={async () => {
          if (pendingDelete) await api.deleteModel(pendingDelete.id);
          reloadAll();
        }}
        onClose={() => setPendingDelete(null)}
      />
    </>
  );
}

function ModelSection({ title, empty, children }: { title: string; empty: string; children: ReactNode[] }) {
  return (
    <section aria-label={title}>
      <h2 className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {title} <span className="font-normal">({children.length})</span>
      </h2>
      {children.length ? (
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">{children}</div>
      ) : (
        <p className="rounded-xl border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
          {empty}
        </p>
      )}
    </section>
  );
}

function ModelCard({
  model,
  totalMemoryBytes,
  progress,
  onDownload,
  onCancel,
  onActivate,
  onDelete,
}: {
  model: ModelInfo;
  totalMemoryBytes?: number;
  progress: ProgressView | null;
  onDownload: () => Promise<void>;
  onCancel: () => Promise<void>;
  onActivate: () => Promise<void>;
  onDelete: () => void;
}) {
  const [busy, setBusy] = useState<string | null>(null);
  const run = (name: string, action: () => Promise<void>) => async () => {
    setBusy(name);
    await action();
    setBusy(null);
  };
  const downloading = isDownloading(progress);
  const resumable =
    !model.installed &&
    !downloading &&
    progress &&
    progress.downloaded_bytes > 0 &&
    progress.status !== "completed";
  const fits = model.fitsInMemory;

  return (
    <Card className={cx("flex flex-col p-4", model.active && "ring-2 ring-indigo-500 dark:ring-indigo-500")}>
      <article aria-label={model.name} data-testid={`model-${model.id}`} className="flex flex-1 flex-col">
        <div className="flex items-start justify-between gap-2">
          <div className="min-w-0">
            <h3 className="line-clamp-2 font-semibold" title={model.name}>
              {model.name}
            </h3>
            <p className="truncate font-mono text-xs text-slate-500 dark:text-slate-400">{model.id}</p>
          </div>
          <div className="flex shrink-0 flex-wrap justify-end gap-1">
            {model.active ? (
              <Badge tone="indigo">
                <Icon name="check" className="size-3" /> Active
              </Badge>
            ) : null}
            {model.recommended ? <Badge tone="emerald">Recommended</Badge> : null}
            {model.kind === "embedding" ? (
              <Badge tone="sky" title="Finds similar examples; it does not write SQL">
                Embedding
              </Badge>
            ) : null}
          </div>
        </div>
        {model.description ? (
          <p className="mt-2 line-clamp-3 text-sm text-slate-600 dark:text-slate-300">{model.description}</p>
        ) : null}
        <dl className="mt-3 grid grid-cols-2 gap-x-3 gap-y-1 text-xs">
          <Fact label="Size" value={formatBytes(model.sizeBytes)} />
          {model.parameters ? <Fact label="Parameters" value={formatParameters(model.parameters)} /> : null}
          {model.quantization ? <Fact label="Quantization" value={model.quantization} /> : null}
          {model.license ? <Fact label="License" value={model.license} /> : null}
          {model.memoryBytes ? (
            <Fact
              label="Memory needed"
              value={
                <span
                  className={cx(
                    fits === false
                      ? "text-rose-600 dark:text-rose-400"
                      : fits
                        ? "text-emerald-600 dark:text-emerald-400"
                        : "",
                  )}
                >
                  {formatBytes(model.memoryBytes)}
                  {fits === undefined ? "" : fits ? " · fits" : " · too large"}
                </span>
              }
              title={
                totalMemoryBytes ? `This computer has ${formatBytes(totalMemoryBytes)} of memory` : undefined
              }
            />
          ) : null}
        </dl>
        {model.tags?.length ? (
          <div className="mt-3 flex flex-wrap gap-1">
            {model.tags.map((tag) => (
              <Badge key={tag}>{tag}</Badge>
            ))}
          </div>
        ) : null}
        <div className="mt-auto pt-4">
          {downloading && progress ? (
            <DownloadProgressView
              progress={progress}
              onCancel={() => void run("cancel", onCancel)()}
              cancelling={busy === "cancel"}
            />
          ) : (
            <div className="flex flex-wrap gap-2">
              {progress?.status === "failed" ? (
                <p className="w-full text-xs text-rose-600 dark:text-rose-400">
                  Download failed: {progress.error ?? "unknown error"}
                </p>
              ) : null}
              {model.installed ? (
                <>
                  {model.active ? null : (
                    <Button
                      size="sm"
                      variant="primary"
                      icon="check"
                      busy={busy === "activate"}
                      onClick={() => void run("activate", onActivate)()}
                    >
                      Activate
                    </Button>
                  )}
                  {model.source === "ollama" ? null : (
                    <Button size="sm" variant="ghost" icon="trash" onClick={onDelete}>
                      Delete
                    </Button>
                  )}
                </>
              ) : (
                <Button
                  size="sm"
                  variant="primary"
                  icon="download"
                  busy={busy === "download"}
                  onClick={() => void run("download", onDownload)()}
                >
                  {resumable
                    ? `Resume (${progress.percentage.toFixed(0)}%)`
                    : `Download ${formatBytes(model.sizeBytes)}`}
                </Button>
              )}
            </div>
          )}
        </div>
      </article>
    </Card>
  );
}

function Fact({ label, value, title }: { label: string; value: ReactNode; title?: string }) {
  return (
    <div title={title} className="min-w-0">
      <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="truncate font-medium">{value}</dd>
    </div>
  );
}

function OtherDownload({
  download,
  onCancel,
  onResume,
}: {
  download: LiveDownload;
  onCancel: () => Promise<void>;
  onResume?: () => Promise<void>;
}) {
  const progress = progressOf(download);
  return (
    <Card className="p-4">
      <article aria-label={download.modelId} className="space-y-3">
        <h3 className="truncate font-mono text-sm font-semibold">{download.modelId}</h3>
        {isDownloading(progress) ? (
          <DownloadProgressView progress={progress} onCancel={() => void onCancel()} />
        ) : (
          <div className="flex flex-wrap items-center justify-between gap-2 text-sm">
            <span className={download.status === "failed" ? "text-rose-600 dark:text-rose-400" : ""}>
              {download.status === "failed"
                ? `Failed: ${download.error ?? "unknown error"}`
                : `Stopped at ${formatBytes(download.downloadedBytes)} of ${formatBytes(download.totalBytes)}`}
            </span>
            {onResume ? (
              <Button size="sm" variant="primary" icon="download" onClick={() => void onResume()}>
                Resume ({progress.percentage.toFixed(0)}%)
              </Button>
            ) : null}
          </div>
        )}
      </article>
    </Card>
  );
}
