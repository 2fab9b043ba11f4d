import { binomialDistribution } from "simple-statistics";
import { evalKey, summarise, type EvalRecord, type EvalSummary } from "./run.js";

/** One run's figures over the questions both runs asked. */
export interface ComparedRun {
  summary: EvalSummary;
  /** 95 % interval of the execution accuracy (Wilson's score interval). */
  interval: { low: number; high: number };
}

export interface RunComparison {
  /** Questions asked in both runs (same database, same question). */
  paired: number;
  /** Questions of one run that the other did not ask: left out of every figure. */
  onlyBefore: number;
  onlyAfter: number;
  before: ComparedRun;
  after: ComparedRun;
  /** Right after, wrong before. */
  won: EvalRecord[];
  /** Right before, wrong after. */
  lost: EvalRecord[];
  /** Questions whose final SQL is the same text in both runs. */
  sameSql: number;
  /**
   * Two-sided exact McNemar test on the questions that changed: the chance that a split of won
   * against lost at least this uneven comes from two equally good runs. Only the changed questions
   * count, so two runs that share most answers are compared on what differs.
   */
  pValue: number;
}

/** The standard normal's 97.5th percentile: a 95 % two-sided interval. */
const Z_95 = 1.959963984540054;

/**
 * Two `askdb eval --out` runs of the same questions, paired question by question. On 45–90
 * questions a difference of two or three answers is within what chance gives, and most changes of
 * prompt move about that many: the test and the intervals say which differences are more.
 */
export function compareRuns(before: EvalRecord[], after: EvalRecord[]): RunComparison {
  const beforeByKey = byQuestion(before);
  const afterByKey = byQuestion(after);
  const pairs = [...beforeByKey].flatMap(([key, record]) => {
    const other = afterByKey.get(key);
    return other ? [{ before: record, after: other }] : [];
  });
  const won = pairs.filter((pair) => pair.after.match && !pair.before.match).map((pair) => pair.after);
  const lost = pairs.filter((pair) => pair.before.match && !pair.after.match).map((pair) => pair.after);
  return {
    paired: pairs.length,
    onlyBefore: beforeByKey.size - pairs.length,
    onlyAfter: afterByKey.size - pairs.length,
    before: comparedRun(pairs.map((pair) => pair.before)),
    after: comparedRun(pairs.map((pair) => pair.after)),
    won,
    lost,
    sameSql: pairs.filter((pair) => pair.before.predicted === pair.after.predicted).length,
    pValue: exactMcNemar(won.length, lost.length),
  };
}

/** One record a question; of a question asked twice (a run resumed), the later answer. */
function byQuestion(records: EvalRecord[]): Map<string, EvalRecord> {
  return new Map(records.map((record) => [evalKey(record), record]));
}

function comparedRun(records: EvalRecord[]): ComparedRun {
  const summary = summarise(records);
  return { summary, interval: wilsonInterval(summary.matched, summary.total) };
}

/** Wilson's score interval: unlike the normal approximation, it stays within 0–1 near 0 % and 100 %. */
export function wilsonInterval(successes: number, trials: number): { low: number; high: number } {
  if (trials === 0) return { low: 0, high: 1 };
  const z = Z_95;
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / (1 + z2n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Twice the smaller tail of Binomial(won + lost, ½), at most 1. */
export function exactMcNemar(won: number, lost: number): number {
  const changed = won + lost;
  if (changed === 0) return 1;
  // The distribution's cells run from 0 upwards; the smaller tail is never cut off.
  const cells = binomialDistribution(changed, 0.5);
  if (!cells) throw new RangeError(`no binomial distribution for ${changed} changed answers`);
  const tail = cells.slice(0, Math.min(won, lost) + 1).reduce((sum, cell) => sum + cell, 0);
  return Math.min(1, 2 * tail);
}
