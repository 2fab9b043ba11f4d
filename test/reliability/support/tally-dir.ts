/** The environment variable naming the folder where test files leave their tallies for the summary. */
export const TALLY_DIR_ENV = "ASKDB_RELIABILITY_TALLIES";

export interface AreaCounts {
  area: string;
  tried: number;
  refused: number;
  damage: number;
  /** One line per damage found (what broke, on which case). */
  damages: string[];
  /** Extra figures for the summary, e.g. "health p99 12 ms". */
  notes: string[];
}
