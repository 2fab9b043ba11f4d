/** Formatting for people: byte sizes in decimal units (as download sites count), durations, cells. */
import type { Cell } from "../api/index.js";

const BYTE_UNITS = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return "?";
  const unit = Math.min(BYTE_UNITS.length - 1, bytes < 1000 ? 0 : Math.floor(Math.log10(bytes) / 3));
  const value = bytes / 1000 ** unit;
  const digits = unit === 0 ? 0 : value >= 100 ? 0 : 1;
  return new Intl.NumberFormat("en-US", {
    style: "unit",
    unit: BYTE_UNITS[unit],
    unitDisplay: "short",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

export function formatSpeed(bytesPerSecond: number | null | undefined): string {
  return bytesPerSecond ? `${formatBytes(bytesPerSecond)}/s` : "—";
}

/** "about 3 min", "12 s": the time left of a download. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return "—";
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Parses the ISO dates SQLite stores as text; anything else is not a date. */
export function parseDateCell(value: Cell): Date | null {
  if (typeof value !== "string") return null;
  if (!ISO_DATE.test(value) && !ISO_DATE_TIME.test(value)) return null;
  const date = new Date(ISO_DATE.test(value) ? `${value}T00:00:00` : value.replace(" ", "T"));
  return Number.isNaN(date.getTime()) ? null : date;
}

export function formatCell(value: Cell): string {
  if (value === null) return "—";
  if (typeof value === "number") return numberFormat.format(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "object") return `BLOB, ${formatBytes(value.$blob)}`;
  const date = parseDateCell(value);
  if (date) return ISO_DATE.test(value) ? dateFormat.format(date) : dateTimeFormat.format(date);
  return value;
}

/** 1.5e9 → "1.5B" parameters. */
export function formatParameters(count: number | null | undefined): string | null {
  if (!count) return null;
  if (count >= 1e9) return `${+(count / 1e9).toFixed(1)}B`;
  if (count >= 1e6) return `${+(count / 1e6).toFixed(0)}M`;
  return `${+(count / 1e3).toFixed(0)}K`;
}

export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat.format(date);
}
