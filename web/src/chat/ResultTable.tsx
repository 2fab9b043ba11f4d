import { useMemo, useState } from "react";
import type { Cell } from "../api/index.js";
import { Icon } from "../components/icons.js";
import { cx } from "../components/ui.js";
import { formatCell, parseDateCell } from "../lib/format.js";

/** Up to this many rows need no paging. */
const ONE_PAGE_ROWS = 25;
const PAGE_SIZES = [20, 21, 22, 23, 24, 25];

/** Rows per page: all of them up to ONE_PAGE_ROWS, else the size that leaves the fullest last page. */
export function pageSizeFor(rowCount: number): number {
  if (rowCount <= ONE_PAGE_ROWS) return ONE_PAGE_ROWS;
  const lastPageShare = (size: number) => (rowCount % size || size) / size;
  return PAGE_SIZES.reduce((best, size) => (lastPageShare(size) > lastPageShare(best) ? size : best));
}

type Direction = "ascending" | "descending";

function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  const dateA = parseDateCell(a);
  const dateB = parseDateCell(b);
  if (dateA && dateB) return dateA.getTime() - dateB.getTime();
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: "base" });
}

/** Rows as a sortable, paginated table; numbers right-aligned and formatted, ISO dates readable. */
export function ResultTable({
  columns,
  rows,
  rowCount,
  truncated,
  caption,
}: {
  columns: string[];
  rows: Cell[][];
  rowCount: number;
  truncated: boolean;
  caption: string;
}) {
  const [sort, setSort] = useState<{ column: number; direction: Direction } | null>(null);
  const [page, setPage] = useState(0);

  const sorted = useMemo(() => {
    if (!sort) return rows;
    const sign = sort.direction === "ascending" ? 1 : -1;
    return [...rows].sort((a, b) => sign * compareCells(a[sort.column], b[sort.column]));
  }, [rows, sort]);

  const numeric = useMemo(
    () => columns.map((_, index) => rows.some((row) => typeof row[index] === "number")),
    [columns, rows],
  );

  const pageSize = pageSizeFor(sorted.length);
  const pages = Math.max(1, Math.ceil(sorted.length / pageSize));
  const current = Math.min(page, pages - 1);
  const visible = sorted.slice(current * pageSize, (current + 1) * pageSize);

  const toggleSort = (column: number) => {
    setSort((previous) =>
      previous?.column === column
        ? previous.direction === "ascending"
          ? { column, direction: "descending" }
          : null
        : { column, direction: "ascending" },
    );
    setPage(0);
  };

  if (columns.length === 0) {
    return <p className="text-sm text-slate-500 dark:text-slate-400">The query returned no columns.</p>;
  }

  return (
    <div className="space-y-2">
      <div className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
        <table className="min-w-full divide-y divide-slate-200 text-sm dark:divide-slate-800">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-slate-50 dark:bg-slate-800/60">
            <tr>
              {columns.map((column, index) => {
                const direction = sort?.column === index ? sort.direction : undefined;
                return (
                  <th
                    key={index}
                    scope="col"
                    aria-sort={direction ?? "none"}
                    className={cx(
                      "px-3 py-2 font-semibold whitespace-nowrap text-slate-700 dark:text-slate-200",
                      numeric[index] ? "text-right" : "text-left",
                    )}
                  >
                    <button
                      type="button"
                      onClick={() => toggleSort(index)}
                      className="inline-flex items-center gap-1 hover:text-indigo-600 dark:hover:text-indigo-400"
                      title={`Sort by ${column}`}
                    >
                      {column}
                      {direction ? (
                        <Icon
                          name={direction === "ascending" ? "arrowUp" : "arrowDown"}
                          className="size-3.5"
                        />
                      ) : null}
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 bg-white dark:divide-slate-800 dark:bg-slate-900">
            {visible.length === 0 ? (
              <tr>
                <td
                  colSpan={columns.length}
                  className="px-3 py-6 text-center text-slate-500 dark:text-slate-400"
                >
                  No rows matched.
                </td>
              </tr>
            ) : (
              visible.map((row, rowIndex) => (
                <tr key={rowIndex} className="hover:bg-slate-50 dark:hover:bg-slate-800/40">
                  {row.map((cell, index) => (
                    <td
                      key={index}
                      className={cx(
                        "max-w-xs truncate px-3 py-1.5",
                        numeric[index] ? "text-right tabular-nums" : "text-left",
                        cell === null && "text-slate-400",
                      )}
                      title={cell === null ? "NULL" : String(cell)}
                    >
                      {formatCell(cell)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500 dark:text-slate-400">
        <span>
          {truncated
            ? `Showing the first ${rows.length.toLocaleString()} rows; the query matched more.`
            : `${rowCount.toLocaleString()} ${rowCount === 1 ? "row" : "rows"}`}
        </span>
        {pages > 1 ? (
          <nav className="flex items-center gap-1" aria-label="Table pages">
            <button
              type="button"
              className="rounded p-1 hover:bg-slate-100 disabled:opacity-40 dark:hover:bg-slate-800"
              onClick={() => setPage(current - 1)}
              disabled={current === 0}
              aria-label="Previous page"
            >
              <Icon name="chevronLeft" />
            </button>
            <span>
              Page {current + 1} of {pages}
            </span>
            <button
              type="button"
              className="rounded p-1 hover:bg-slate-100 disabled:opacity-40 dark:hover:bg-slate-800"
              onClick={() => setPage(current + 1)}
              disabled={current >= pages - 1}
              aria-label="Next page"
            >
              <Icon name="chevronRight" />
            </button>
          </nav>
        ) : null}
      </div>
    </div>
  );
}
