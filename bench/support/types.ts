/** One row of the benchmark table. */
export interface Measurement {
  id: string;
  figure: string;
  measured: string;
  target: string;
  pass: boolean;
  /** Set when the figure could not be measured at all. */
  error?: string;
  /** Raw figures behind `measured` (runs, percentiles, splits) for --json and for the record. */
  details?: Record<string, unknown>;
}

export interface BenchContext {
  /** Fewer repetitions: a smoke run of the whole suite. */
  quick: boolean;
  /** Generated files (models, demo database, the 1 GB download) live here, outside the repository. */
  cacheDir: string;
  repoRoot: string;
  log(line: string): void;
}

/** Figures measured together because they share expensive setup (a model, a server). */
export interface FigureGroup {
  ids: string[];
  run(context: BenchContext, selected: Set<string>): Promise<Measurement[]>;
}
