/**
 * askdb's benchmark suite: every figure of the performance targets (issue 8), each a median of
 * repeated runs, printed as one table. Run: `npm run bench [-- --json] [-- --quick] [-- --only a,b]`.
 * Generated files (random-weight models, the demo, the 1 GB download) are cached in
 * $ASKDB_BENCH_CACHE (default ~/.cache/askdb/bench), outside the repository.
 */
import os from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { downloadFigures } from "./figures/download.js";
import { httpFigures } from "./figures/http.js";
import { modelFigures } from "./figures/model.js";
import { pipelineFigures } from "./figures/pipeline.js";
import { retrievalFigures } from "./figures/retrieval.js";
import { serveFigures } from "./figures/serve.js";
import { sidecarFigures } from "./figures/sidecar.js";
import type { BenchContext, FigureGroup, Measurement } from "./support/types.js";

/** In table order. */
const GROUPS: FigureGroup[] = [
  modelFigures,
  pipelineFigures,
  httpFigures,
  retrievalFigures,
  downloadFigures,
  serveFigures,
  sidecarFigures,
];
const ALL_IDS = GROUPS.flatMap((group) => group.ids);

function parseOptions(): { json: boolean; quick: boolean; only: Set<string> } {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean" },
      quick: { type: "boolean" },
      only: { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(`npm run bench -- [--json] [--quick] [--only ${ALL_IDS.join(",")}]`);
    process.exit(0);
  }
  const only = values.only
    ? values.only
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean)
    : ALL_IDS;
  const unknown = only.filter((id) => !ALL_IDS.includes(id));
  if (unknown.length > 0) {
    console.error(`unknown figure ${unknown.join(", ")}; the figures are: ${ALL_IDS.join(", ")}`);
    process.exit(2);
  }
  return { json: values.json === true, quick: values.quick === true, only: new Set(only) };
}

function printTable(results: Measurement[]): void {
  const rows = [
    ["figure", "measured", "target", ""],
    ...results.map((r) => [r.figure, r.measured, r.target, r.pass ? "pass" : "FAIL"]),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const [index, row] of rows.entries()) {
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join("  ")
        .trimEnd(),
    );
    if (index === 0) console.log(widths.map((width) => "-".repeat(width)).join("  "));
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  const context: BenchContext = {
    quick: options.quick,
    cacheDir: resolve(process.env.ASKDB_BENCH_CACHE ?? join(os.homedir(), ".cache", "askdb", "bench")),
    repoRoot: resolve(dirname(fileURLToPath(import.meta.url)), ".."),
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  };
  const started = performance.now();
  const results: Measurement[] = [];
  for (const group of GROUPS) {
    const selected = new Set(group.ids.filter((id) => options.only.has(id)));
    if (selected.size === 0) continue;
    try {
      results.push(...(await group.run(context, selected)));
    } catch (error) {
      for (const id of selected) {
        results.push({
          id,
          figure: id,
          measured: "not measured (see below)",
          target: "",
          pass: false,
          error: (error as Error).stack ?? String(error),
        });
      }
    }
  }
  const order = (m: Measurement) => ALL_IDS.indexOf(m.id);
  results.sort((a, b) => order(a) - order(b));
  const machine = {
    cpus: os.cpus()[0]?.model ?? "unknown",
    cores: os.availableParallelism(),
    load: os.loadavg().map((l) => Math.round(l * 100) / 100),
    node: process.version,
  };
  if (options.json) {
    console.log(
      JSON.stringify(
        { machine, quick: options.quick, seconds: Math.round((performance.now() - started) / 1000), results },
        null,
        2,
      ),
    );
  } else {
    printTable(results);
    for (const failed of results.filter((r) => r.error)) console.error(`\n${failed.id}: ${failed.error}`);
    console.log(
      `\n${machine.cores} cores (${machine.cpus}), load ${machine.load.join(" ")}, ${process.version}; ${Math.round((performance.now() - started) / 1000)} s`,
    );
  }
  // Missed targets are the table's news; only a figure that could not be measured fails the run.
  process.exitCode = results.some((r) => r.error) ? 1 : 0;
}

await main();
