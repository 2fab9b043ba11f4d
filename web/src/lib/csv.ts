import type { Cell } from "../api/index.js";
import { formatCell } from "./format.js";

/** RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled. */
function csvField(value: Cell): string {
  if (value === null) return "";
  const text = typeof value === "object" ? formatCell(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(columns: string[], rows: Cell[][]): string {
  return [columns, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/** Offers `content` as a file download. */
export function saveFile(fileName: string, content: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob(["\uFEFF", content], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A file name from a question: "top 5 products by revenue" → "top-5-products-by-revenue.csv". */
export function csvFileName(question: string): string {
  const slug = question
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
  return `${slug || "askdb-result"}.csv`;
}
