import type { QueryResult } from "../guard/index.js";

export type ChartType = "bar" | "line" | "pie" | "scatter" | "none";

/** A declarative chart: which columns go where. Rendered by the UI; never code. */
export interface ChartSpec {
  type: ChartType;
  /** Column on the x axis (or the pie's labels). */
  x?: string;
  /** Numeric columns plotted (the pie's values when type is pie). */
  y?: string[];
  /** Column whose values split the data into one series each. */
  series?: string;
  /** Why this chart (or none) was chosen, in a few words. */
  reason: string;
}

type ColumnRole = "date" | "number" | "category" | "other";

const MAX_CATEGORIES = 50;
const MAX_PIE_SLICES = 6;
const DATE_TEXT = /^\d{4}-\d{2}(-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?)?)?$/;
const YEAR_NAME = /(^|_)(year|yr)$/i;
const ID_NAME = /(^|_)id$/i;
const SHARE_NAME = /share|percent|pct|ratio|proportion|fraction/i;
const PART_NAME = /status|type|method|kind|category|segment|mode|channel|gender|state/i;

/** Picks a chart from the result's column types and values. */
export function suggestChart(result: Pick<QueryResult, "columns" | "rows">): ChartSpec {
  const { columns, rows } = result;
  if (rows.length === 0) return none("the result has no rows");
  if (rows.length === 1 && columns.length <= 2) return none("a single value reads best as a number");
  const roles = columns.map((column, index) =>
    roleOf(
      column.name,
      rows.map((row) => row[index]),
    ),
  );
  const named = (role: ColumnRole) =>
    columns.filter((_, index) => roles[index] === role).map((column) => column.name);
  const dates = named("date");
  const categories = named("category");
  const numbers = named("number");
  const measures = numbers.filter((name) => !ID_NAME.test(name));

  if (dates.length > 0 && measures.length > 0 && rows.length >= 2) {
    const series = categories.length === 1 && measures.length === 1 ? categories[0] : undefined;
    return {
      type: "line",
      x: dates[0],
      y: measures,
      ...(series ? { series } : {}),
      reason: `${dates[0]} is a date or period, so values over time`,
    };
  }
  if (categories.length >= 1 && measures.length >= 1) {
    if (rows.length > MAX_CATEGORIES) return none(`too many categories (${rows.length}) to chart`);
    const [label] = categories;
    if (measures.length === 1 && looksLikeParts(label, measures[0], valuesOf(result, measures[0]))) {
      return { type: "pie", x: label, y: measures, reason: `a few ${label} values sharing a whole` };
    }
    return { type: "bar", x: label, y: measures, reason: `${measures.join(", ")} compared across ${label}` };
  }
  if (measures.length >= 2 && rows.length >= 3) {
    return {
      type: "scatter",
      x: measures[0],
      y: [measures[1]],
      reason: `${measures[1]} against ${measures[0]}`,
    };
  }
  return none("no category, date or pair of numbers to plot");
}

function none(reason: string): ChartSpec {
  return { type: "none", reason };
}

function valuesOf(result: Pick<QueryResult, "columns" | "rows">, name: string): number[] {
  const index = result.columns.findIndex((column) => column.name === name);
  return result.rows.map((row) => row[index]).filter((value): value is number => typeof value === "number");
}

function looksLikeParts(label: string, measure: string, values: number[]): boolean {
  if (values.length < 2 || values.length > MAX_PIE_SLICES || values.some((value) => value < 0)) return false;
  const sum = values.reduce((total, value) => total + value, 0);
  const sumsToWhole = Math.abs(sum - 100) < 0.5 || Math.abs(sum - 1) < 0.005;
  return sumsToWhole || SHARE_NAME.test(measure) || PART_NAME.test(label);
}

function roleOf(name: string, values: unknown[]): ColumnRole {
  const present = values.filter((value) => value !== null && value !== undefined);
  if (present.length === 0) return "other";
  if (present.every((value) => typeof value === "string" && DATE_TEXT.test(value))) return "date";
  if (present.every((value) => typeof value === "number")) {
    const isYear =
      YEAR_NAME.test(name) &&
      present.every(
        (value) => Number.isInteger(value) && (value as number) >= 1900 && (value as number) <= 2100,
      );
    return isYear ? "date" : "number";
  }
  if (present.every((value) => typeof value === "string")) return "category";
  return "other";
}
