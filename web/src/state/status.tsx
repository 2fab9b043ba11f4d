/** The server's `/status`, polled for the whole app: what the UI explains (no model, loading, busy). */
import { createContext, useContext, type ReactNode } from "react";
import { api, ApiError, type Status } from "../api/index.js";
import { useLoad } from "../lib/hooks.js";

interface StatusContextValue {
  status: Status | undefined;
  error: unknown;
  refresh: () => Promise<void>;
}

const StatusContext = createContext<StatusContextValue>({
  status: undefined,
  error: undefined,
  refresh: async () => {},
});

const POLL_MS = 2500;

export function StatusProvider({ children }: { children: ReactNode }) {
  const { data, error, reload } = useLoad(api.status, [], POLL_MS);
  return (
    <StatusContext.Provider value={{ status: data, error, refresh: reload }}>
      {children}
    </StatusContext.Provider>
  );
}

export function useStatus(): StatusContextValue {
  return useContext(StatusContext);
}

export type Readiness =
  | "offline"
  | "unavailable"
  | "starting"
  | "no-model"
  | "downloading"
  | "loading"
  | "busy"
  | "error"
  | "ready";

/** One word for the state the UI explains to the person. */
export function readinessOf(status: Status | undefined, error: unknown): Readiness {
  if (error) return error instanceof ApiError && error.code !== "NETWORK" ? "unavailable" : "offline";
  if (!status) return "starting";
  if (status.download && ["queued", "downloading", "verifying"].includes(status.download.status))
    return "downloading";
  if (!status.modelDownloaded) return "no-model";
  switch (status.engine?.state) {
    case "loading":
      return "loading";
    case "busy":
      return "busy";
    case "error":
      return "error";
    default:
      return "ready";
  }
}
