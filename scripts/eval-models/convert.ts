/**
 * Hugging Face (safetensors) → GGUF with llama.cpp's own `convert_hf_to_gguf.py`, taken from the
 * llama.cpp source that node-llama-cpp ships (a git bundle, so nothing comes from GitHub), run in
 * a virtual environment of its own inside the cache (never the system's Python packages).
 */
import { existsSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AskDbError } from "../../src/errors/index.js";
import { llamaCppSource } from "../support/llama-cpp-source.js";
import { pipVersions, run, tail } from "./python.js";

export interface ConverterOptions {
  python: string;
  toolsDir: string;
  /** A pip requirement or wheel for PyTorch; default: the newest CPU build the index offers, else `torch`. */
  torch?: string;
  log(line: string): void;
}

export interface Converter {
  /** Which llama.cpp wrote the GGUF: the one node-llama-cpp runs, so it can load what it writes. */
  llamaCppLabel: string;
  convert(modelDir: string, outFile: string, outType: "f16" | "q8_0"): Promise<void>;
}

async function checked(what: string, command: string, args: string[], hint: string): Promise<void> {
  const result = await run(command, args);
  if (result.code !== 0) {
    throw new AskDbError(
      "BACKEND_UNAVAILABLE",
      `${what} failed: ${tail(result.stderr || result.stdout, 4)}`,
      { hint },
    );
  }
}

/** PyTorch without CUDA when the index has it: the CUDA build drags in gigabytes of nvidia packages. */
async function torchRequirement(python: string, override: string | undefined): Promise<string> {
  if (override) return override;
  const cpu = (await pipVersions(python, "torch")).find((v) => v.endsWith("+cpu"));
  return cpu ? `torch==${cpu}` : "torch";
}

/** Clones llama.cpp from the bundle and builds the converter's environment, once; later calls reuse them. */
export async function prepareConverter(options: ConverterOptions): Promise<Converter> {
  const { bundle, tag } = llamaCppSource();
  const source = join(options.toolsDir, `llama.cpp-${tag}`);
  if (!existsSync(join(source, "convert_hf_to_gguf.py"))) {
    options.log(`cloning llama.cpp from node-llama-cpp's bundle (release ${tag})`);
    rmSync(source, { recursive: true, force: true });
    await checked(
      "git clone of node-llama-cpp's llama.cpp bundle",
      "git",
      ["clone", "--quiet", bundle, source],
      "install git, or run with --no-convert",
    );
  }
  const venv = join(options.toolsDir, "convert-venv");
  const venvPython = join(venv, "bin", "python");
  const ready = join(venv, ".askdb-ready");
  if (!existsSync(ready)) {
    rmSync(venv, { recursive: true, force: true });
    options.log(
      `creating the converter's Python environment in ${venv} (PyTorch CPU, transformers, gguf; a few minutes)`,
    );
    await checked(
      "python -m venv",
      options.python,
      ["-m", "venv", venv],
      "install Python's venv module (e.g. `apt-get install python3-venv`)",
    );
    const torch = await torchRequirement(options.python, options.torch);
    // The versions llama.cpp's requirements-convert_hf_to_gguf.txt asks for, less its pinned torch.
    await checked(
      "pip install of the converter's requirements",
      venvPython,
      [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        torch,
        "numpy",
        "sentencepiece>=0.1.98,<0.3.0",
        "transformers==4.57.6",
        "protobuf>=4.21.0,<5.0.0",
        "safetensors",
        join(source, "gguf-py"),
      ],
      "check that PyPI can be reached; a PyTorch wheel can be named with --torch",
    );
    await checked(
      "marking the environment ready",
      venvPython,
      ["-c", `open(${JSON.stringify(ready)}, "w").close()`],
      "",
    );
  }
  return {
    llamaCppLabel: `the llama.cpp of node-llama-cpp's release ${tag}`,
    async convert(modelDir, outFile, outType) {
      const partial = `${outFile}.partial`;
      options.log(`converting ${modelDir} to GGUF (${outType})`);
      const result = await run(venvPython, [
        join(source, "convert_hf_to_gguf.py"),
        modelDir,
        "--outtype",
        outType,
        "--outfile",
        partial,
      ]);
      if (result.code !== 0 || !existsSync(partial)) {
        rmSync(partial, { force: true });
        throw new AskDbError(
          "MODEL_INVALID",
          `llama.cpp's converter could not convert ${modelDir}: ${tail(result.stderr, 4)}`,
          {
            hint: `the model's architecture may be newer than node-llama-cpp's llama.cpp (release ${tag}); run with --no-convert to skip it`,
          },
        );
      }
      renameSync(partial, outFile);
    },
  };
}
