import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell as PieSlice,
  Legend,
  Line,
  LineChart,
  Pie,
  PieChart,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { Cell, ChartSpec } from "../api/index.js";
import { formatCell } from "../lib/format.js";

const COLORS = ["#6366f1", "#10b981", "#f59e0b", "#ef4444", "#0ea5e9", "#a855f7", "#14b8a6", "#f97316"];
/** Beyond this many points a pie or bar chart stops being readable. */
const MAX_POINTS = 50;

/** When one series is this many times larger than another, the smaller gets its own axis on the right. */
const SCALE_GAP = 20;
const compactNumber = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const formatTick = (value: unknown) =>
  typeof value === "number" ? compactNumber.format(value) : String(value);

function largestOf(rows: Record<string, unknown>[], column: string): number {
  return Math.max(0, ...rows.map((row) => Math.abs(Number(row[column]) || 0)));
}

/** Which Y axis each series goes on: "left", or "right" for series far smaller than the largest. */
function axesOf(rows: Record<string, unknown>[], series: string[]): Record<string, "left" | "right"> {
  const largest = Object.fromEntries(series.map((column) => [column, largestOf(rows, column)]));
  const top = Math.max(...Object.values(largest));
  return Object.fromEntries(
    series.map((column) => [
      column,
      largest[column] > 0 && top / largest[column] > SCALE_GAP ? "right" : "left",
    ]),
  );
}

/** Bar labels slant when, side by side in 11 px type, they would not fit a chat column (about 480 px). */
const CHAR_PX = 6.5;
const NARROW_CHART_PX = 480;
const LABEL_CHARS = 14;

function crowded(labels: string[]): boolean {
  return labels.length * Math.max(0, ...labels.map((label) => label.length)) * CHAR_PX > NARROW_CHART_PX;
}

/** A category under a crowded bar chart: slanted, cut to LABEL_CHARS, the whole label on hover. */
function SlantedTick({ x, y, payload }: { x?: number; y?: number; payload?: { value?: unknown } }) {
  const label = String(payload?.value ?? "");
  return (
    <g transform={`translate(${x ?? 0},${y ?? 0})`}>
      <text dy={10} textAnchor="end" transform="rotate(-45)" fontSize={11} fill="currentColor">
        <title>{label}</title>
        {label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}…` : label}
      </text>
    </g>
  );
}

/** With two value axes, each says which series it measures. */
function axisLabel(series: string[], side: "left" | "right") {
  return {
    value: series.join(", "),
    angle: -90,
    position: side === "left" ? ("insideLeft" as const) : ("insideRight" as const),
    style: { textAnchor: "middle" as const, fontSize: 11, fill: "currentColor" },
  };
}

/**
 * The points to draw and the keys of their series. Each y column is a series; with `spec.series`
 * (one measure, and a column such as a region) the rows are pivoted instead: one series per value
 * of that column, each point holding the measure of every series at its x.
 */
function chartData(
  spec: ChartSpec & { x: string },
  columns: string[],
  rows: Cell[][],
): { data: Record<string, unknown>[]; series: string[]; description: string } {
  const x = spec.x;
  const measures = (spec.y ?? []).filter((column) => columns.includes(column));
  const limited = rows.slice(0, spec.type === "line" || spec.type === "scatter" ? 1000 : MAX_POINTS);
  const xOf = (row: Cell[]) => {
    const value = row[columns.indexOf(x)];
    return spec.type === "scatter" ? value : formatCell(value);
  };
  const split = spec.series;
  if (split && columns.includes(split) && measures.length === 1 && spec.type !== "scatter") {
    const [measure] = measures;
    const points = new Map<unknown, Record<string, unknown>>();
    const series: string[] = [];
    for (const row of limited) {
      const name = formatCell(row[columns.indexOf(split)]);
      if (!series.includes(name)) series.push(name);
      const at = xOf(row);
      const point = points.get(at) ?? { [x]: at };
      point[name] = row[columns.indexOf(measure)];
      points.set(at, point);
    }
    // A series named like the x column would overwrite it: draw the rows unpivoted then.
    if (!series.includes(x)) {
      return { data: [...points.values()], series, description: `${measure} by ${x}, one per ${split}` };
    }
  }
  const data = limited.map((row) =>
    Object.fromEntries(columns.map((column, index) => [column, column === x ? xOf(row) : row[index]])),
  );
  return { data, series: measures, description: `${measures.join(", ")} by ${x}` };
}

/** The chart the answer's spec asks for (`{type, x, y, series}`), or nothing when it cannot be drawn. */
export function AnswerChart({
  spec,
  columns,
  rows,
}: {
  spec: ChartSpec | null;
  columns: string[];
  rows: Cell[][];
}) {
  if (!spec || spec.type === "none" || !spec.x || !columns.includes(spec.x)) return null;
  const x = spec.x;
  const { data, series, description } = chartData({ ...spec, x }, columns, rows);
  if (series.length === 0 || rows.length === 0) return null;
  const axisStyle = { fontSize: 11, fill: "currentColor" };
  const tooltipStyle = {
    contentStyle: {
      borderRadius: 8,
      fontSize: 12,
      background: "var(--color-white)",
      color: "var(--color-slate-900)",
    },
  };

  const axes = axesOf(data, series);
  const onSide = (side: "left" | "right") => series.filter((column) => axes[column] === side);
  const twoAxes = onSide("right").length > 0;
  const slanted = spec.type === "bar" && crowded(data.map((row) => String(row[x])));
  /** Grid, axes, tooltip and legend shared by the bar and line charts. */
  const cartesianParts = [
    <CartesianGrid key="grid" strokeDasharray="3 3" strokeOpacity={0.3} vertical={false} />,
    spec.type === "bar" ? (
      <XAxis
        key="x"
        dataKey={x}
        interval={0}
        tick={slanted ? (props: object) => <SlantedTick {...props} /> : axisStyle}
        height={slanted ? 84 : 30}
      />
    ) : (
      <XAxis key="x" dataKey={x} tick={axisStyle} interval="preserveStartEnd" />
    ),
    <YAxis
      key="left"
      yAxisId="left"
      tick={axisStyle}
      width={twoAxes ? 72 : 56}
      tickFormatter={formatTick}
      label={twoAxes ? axisLabel(onSide("left"), "left") : undefined}
    />,
    twoAxes ? (
      <YAxis
        key="right"
        yAxisId="right"
        orientation="right"
        tick={axisStyle}
        width={64}
        tickFormatter={formatTick}
        label={axisLabel(onSide("right"), "right")}
      />
    ) : null,
    <Tooltip key="tooltip" {...tooltipStyle} cursor={{ fillOpacity: 0.1 }} />,
    series.length > 1 ? <Legend key="legend" wrapperStyle={{ fontSize: 12 }} /> : null,
  ];
  // A slanted first label reaches left of the axis.
  const margin = { top: 8, right: 8, left: slanted ? 36 : 0, bottom: 0 };

  const chart = (() => {
    switch (spec.type) {
      case "bar":
        return (
          <BarChart data={data} margin={margin}>
            {cartesianParts}
            {series.map((column, index) => (
              <Bar
                key={column}
                yAxisId={axes[column]}
                dataKey={column}
                fill={COLORS[index % COLORS.length]}
                radius={[4, 4, 0, 0]}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        );
      case "line":
        return (
          <LineChart data={data} margin={margin}>
            {cartesianParts}
            {series.map((column, index) => (
              <Line
                key={column}
                yAxisId={axes[column]}
                type="monotone"
                dataKey={column}
                stroke={COLORS[index % COLORS.length]}
                strokeWidth={2}
                dot={data.length <= 40}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        );
      case "pie":
        return (
          <PieChart>
            <Tooltip {...tooltipStyle} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Pie data={data} dataKey={series[0]} nameKey={x} outerRadius="80%" isAnimationActive={false}>
              {data.map((_, index) => (
                <PieSlice key={index} fill={COLORS[index % COLORS.length]} />
              ))}
            </Pie>
          </PieChart>
        );
      case "scatter":
        return (
          <ScatterChart margin={{ top: 8, right: 8, left: 0, bottom: 0 }}>
            <CartesianGrid strokeDasharray="3 3" strokeOpacity={0.3} />
            <XAxis dataKey={x} name={x} type="number" tick={axisStyle} />
            <YAxis
              dataKey={series[0]}
              name={series[0]}
              type="number"
              tick={axisStyle}
              width={56}
              tickFormatter={formatTick}
            />
            <Tooltip {...tooltipStyle} />
            <Scatter data={data} fill={COLORS[0]} isAnimationActive={false} />
          </ScatterChart>
        );
    }
  })();

  return (
    <figure className="rounded-lg border border-slate-200 p-3 text-slate-500 dark:border-slate-800 dark:text-slate-400">
      <div
        className={slanted ? "h-72 w-full" : "h-56 w-full"}
        role="img"
        aria-label={`${spec.type} chart of ${description}`}
      >
        <ResponsiveContainer width="100%" height="100%">
          {chart}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
