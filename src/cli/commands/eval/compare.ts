/** `askdb eval compare`: two runs of the same questions, question by question, and whether they differ by more than chance. */
import type { Command } from "commander";
import pc from "picocolors";
import { AskDbError } from "../../../errors/index.js";
import { compareRuns, type ComparedRun, type EvalRecord, type RunComparison } from "../../../sql/index.js";
import { formatMs, printJson, printTable, runCommand } from "../../output.js";
import { readRecords } from "./records.js";

/** Below this p-value a difference is reported as more than chance. */
const SIGNIFICANT = 0.05;

export function registerCompare(evalCommand: Command): void {
  evalCommand
    .command("compare")
    .description("Compare two runs' --out files: won, lost, and whether the difference is more than chance")
    .argument("<before>", "the --out file of the run to compare against (e.g. the defaults, or --plain)")
    .argument("<after>", "the --out file of the run with the change")
    .option("--json", "print the comparison as JSON")
    .addHelpText(
      "after",
      `
Examples:
  askdb eval --out before.jsonl && askdb eval --no-values --out after.jsonl
  askdb eval compare before.jsonl after.jsonl

Only the questions both runs asked are compared. The p-value is the exact McNemar test on the
questions one run got right and the other wrong.`,
    )
    // `askdb eval` has a --json of its own, which takes the flag wherever it stands.
    .action((before: string, after: string, _options: unknown, command: Command) => {
      const json = command.optsWithGlobals<{ json?: boolean }>().json === true;
      return runCommand(json, () => {
        const comparison = compareRuns(readRecords(before), readRecords(after));
        if (comparison.paired === 0)
          throw new AskDbError("INVALID_INPUT", `${before} and ${after} share no question`, {
            hint: "compare two runs of the same question file",
          });
        if (json) printJson(comparisonJson(comparison));
        else printComparison(comparison, before, after);
      });
    });
}

function comparisonJson(comparison: RunComparison) {
  const questions = (records: EvalRecord[]) => records.map(({ db_id, question }) => ({ db_id, question }));
  return { ...comparison, won: questions(comparison.won), lost: questions(comparison.lost) };
}

function printComparison(comparison: RunComparison, before: string, after: string): void {
  const unpaired = comparison.onlyBefore + comparison.onlyAfter;
  process.stdout.write(
    `${comparison.paired} questions in both runs${unpaired > 0 ? ` (left out: ${comparison.onlyBefore} only in ${before}, ${comparison.onlyAfter} only in ${after})` : ""}\n`,
  );
  const sides = [comparison.before, comparison.after];
  printTable(
    ["", before, after],
    [
      ["right", ...sides.map(accuracy)],
      ["valid SQL", ...sides.map((side) => share(side.summary.validSqlShare))],
      ["p50 / p95", ...sides.map((side) => `${formatMs(side.summary.p50Ms)} / ${formatMs(side.summary.p95Ms)}`)],
      ["cut by the deadline", ...sides.map((side) => side.summary.cut)],
    ],
  );
  process.stdout.write(`${verdict(comparison)}\n`);
  for (const record of comparison.won) process.stdout.write(`  ${pc.green("+")} ${record.question}\n`);
  for (const record of comparison.lost) process.stdout.write(`  ${pc.red("-")} ${record.question}\n`);
}

function accuracy(side: ComparedRun): string {
  const { matched, total, executionAccuracy } = side.summary;
  return `${matched}/${total} ${share(executionAccuracy)} (95 % CI ${share(side.interval.low)}–${share(side.interval.high)})`;
}

function share(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function verdict({ won, lost, sameSql, paired, pValue }: RunComparison): string {
  const counts = `won ${won.length}, lost ${lost.length}, the same SQL in ${sameSql} of ${paired}`;
  const p = `p = ${pValue < 0.001 ? "< 0.001" : pValue.toFixed(3)}`;
  if (won.length + lost.length === 0) return `${counts}: no answer changed.`;
  return pValue < SIGNIFICANT
    ? `${counts}: ${pc.bold("more than chance")} (${p}, exact McNemar test)`
    : `${counts}: within what chance gives (${p}, exact McNemar test); more questions would be needed to tell`;
}
