import { open, stat } from "node:fs/promises";
import { freemem } from "node:os";
import type { GgufFileInfo, Llama } from "node-llama-cpp";
import { AskDbError } from "../errors/index.js";
import { formatBytes } from "../util/index.js";

/** What a person needs to know about a GGUF file, read from its header only. */
export interface GgufSummary {
  version: number;
  tensorCount: number;
  architecture: string;
  name?: string;
  parameterCount: number;
  /** e.g. "Q4_K_M", "F16"; undefined when the header does not say. */
  quantization?: string;
  contextLength?: number;
  embeddingLength?: number;
  hasChatTemplate: boolean;
  /** True for encoder-only / pooling models that produce embeddings rather than text. */
  isEmbeddingModel: boolean;
}

export interface MemoryEstimate {
  contextSize: number;
  modelBytes: number;
  contextBytes: number;
  totalBytes: number;
  freeRamBytes: number;
  fits: boolean;
}

const GGUF_MAGIC = "GGUF";
const SUPPORTED_GGUF_VERSIONS = new Set([2, 3]);
const EMBEDDING_ARCHITECTURES = new Set([
  "bert",
  "nomic-bert",
  "nomic-bert-moe",
  "jina-bert-v2",
  "t5encoder",
  "modern-bert",
]);

/** Cheap check of the first 8 bytes, so a wrong file gets a clear error before any parser sees it. */
export async function assertGgufHeader(filePath: string): Promise<number> {
  const header = Buffer.alloc(8);
  let bytesRead = 0;
  try {
    const handle = await open(filePath, "r");
    try {
      ({ bytesRead } = await handle.read(header, 0, 8, 0));
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fileUnreadable(filePath, error);
  }
  const magic = header.subarray(0, 4).toString("latin1");
  if (bytesRead < 8 || magic !== GGUF_MAGIC) {
    throw new AskDbError(
      "MODEL_INVALID",
      `${filePath} is not a GGUF model file (it does not start with "GGUF")`,
      {
        hint: "askdb runs GGUF models (llama.cpp format); pick a .gguf file, e.g. from `askdb models list`",
      },
    );
  }
  const version = header.readUInt32LE(4);
  if (!SUPPORTED_GGUF_VERSIONS.has(version)) {
    throw new AskDbError(
      "MODEL_INVALID",
      `${filePath} is GGUF version ${version}, which llama.cpp no longer reads`,
      {
        hint: "download a current conversion of this model (GGUF v3)",
      },
    );
  }
  return version;
}

/** Reads the header and tensor table (never the weights) and summarizes them. */
export async function readGgufSummary(filePath: string): Promise<GgufSummary> {
  const info = await readGgufInfo(filePath);
  return summarize(info, await llamaCpp());
}

type LlamaCpp = typeof import("node-llama-cpp");

/** node-llama-cpp takes about half a second to import: it is loaded when a model file is first read. */
function llamaCpp(): Promise<LlamaCpp> {
  return import("node-llama-cpp");
}

/**
 * Starts loading the GGUF reader while a download runs, so that verifying the finished file does
 * not wait half a second for it (a failure surfaces when the file is read).
 */
export function preloadGgufReader(): void {
  llamaCpp().catch(() => undefined);
}

async function readGgufInfo(filePath: string): Promise<GgufFileInfo> {
  await assertGgufHeader(filePath);
  const { readGgufFileInfo, GgmlType } = await llamaCpp();
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(filePath, {
      sourceType: "filesystem",
      logWarnings: false,
      spliceSplitFiles: false,
    });
  } catch (error) {
    throw new AskDbError(
      "MODEL_INVALID",
      `${filePath} has a damaged GGUF header: ${(error as Error).message}`,
      {
        hint: "the file is probably truncated or corrupt; download it again",
        cause: error,
      },
    );
  }
  await assertComplete(filePath, info, typeBlocks(GgmlType));
  return info;
}

type TypeBlocks = Partial<Record<number, [bytes: number, elements: number]>>;

/** Bytes per block and elements per block of the common tensor types (ggml.c type traits). */
const typeBlocks = (GgmlType: LlamaCpp["GgmlType"]): TypeBlocks => ({
  [GgmlType.F32]: [4, 1],
  [GgmlType.F16]: [2, 1],
  [GgmlType.Q4_0]: [18, 32],
  [GgmlType.Q4_1]: [20, 32],
  [GgmlType.Q5_0]: [22, 32],
  [GgmlType.Q5_1]: [24, 32],
  [GgmlType.Q8_0]: [34, 32],
  [GgmlType.Q2_K]: [84, 256],
  [GgmlType.Q3_K]: [110, 256],
  [GgmlType.Q4_K]: [144, 256],
  [GgmlType.Q5_K]: [176, 256],
  [GgmlType.Q6_K]: [210, 256],
  [GgmlType.BF16]: [2, 1],
});

/** The GGUF parser reads a short file without complaint, so check the tensors' extent against the file size. */
async function assertComplete(filePath: string, info: GgufFileInfo, blocks: TypeBlocks): Promise<void> {
  const { size } = await stat(filePath);
  let needed = Number(info.infoEndOffset);
  for (const tensor of tensorsOf(info)) {
    const block = blocks[tensor.ggmlType];
    const bytes = block ? Math.ceil(elementCount(tensor.dimensions) / block[1]) * block[0] : 1;
    needed = Math.max(needed, Number(tensor.fileOffset ?? tensor.offset) + bytes);
  }
  if (size < needed) {
    throw new AskDbError(
      "MODEL_INVALID",
      `model file is truncated: ${formatBytes(size)} of at least ${formatBytes(needed)} (${filePath})`,
      {
        hint: "the download did not finish or the file was cut; pull it again (an interrupted `askdb models pull` resumes)",
      },
    );
  }
}

function summarize(info: GgufFileInfo, { GgmlType, GgufFileType }: LlamaCpp): GgufSummary {
  const general = info.metadata.general ?? {};
  const architecture = String(general.architecture ?? "unknown");
  const arch = (info.architectureMetadata ?? {}) as {
    context_length?: number;
    embedding_length?: number;
    pooling_type?: number;
  };
  const fileType = general.file_type;
  return {
    version: info.version,
    tensorCount: Number(info.totalTensorCount ?? info.tensorCount),
    architecture,
    name: general.name ? String(general.name) : undefined,
    parameterCount: countParameters(info),
    quantization:
      (fileType === undefined ? undefined : quantizationName(GgufFileType[fileType])) ??
      dominantTensorType(info, GgmlType),
    contextLength: arch.context_length,
    embeddingLength: arch.embedding_length,
    hasChatTemplate: typeof info.metadata.tokenizer?.chat_template === "string",
    isEmbeddingModel: EMBEDDING_ARCHITECTURES.has(architecture) || arch.pooling_type !== undefined,
  };
}

function tensorsOf(info: GgufFileInfo) {
  return info.fullTensorInfo ?? info.tensorInfo ?? [];
}

function elementCount(dimensions: readonly (number | bigint)[]): number {
  return dimensions.reduce<number>((product, dimension) => product * Number(dimension), 1);
}

function countParameters(info: GgufFileInfo): number {
  return tensorsOf(info).reduce((total, tensor) => total + elementCount(tensor.dimensions), 0);
}

/** For files without `general.file_type`: the tensor type holding most of the weights. */
function dominantTensorType(info: GgufFileInfo, GgmlType: LlamaCpp["GgmlType"]): string | undefined {
  const byType = new Map<number, number>();
  for (const tensor of tensorsOf(info))
    byType.set(tensor.ggmlType, (byType.get(tensor.ggmlType) ?? 0) + elementCount(tensor.dimensions));
  const [dominant] = [...byType.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  return dominant === undefined ? undefined : (GgmlType[dominant] as string | undefined);
}

function quantizationName(name: string | undefined): string | undefined {
  return name?.replace(/^(MOSTLY|ALL)_/, "");
}

let sharedLlama: Promise<Llama> | undefined;

/** The llama.cpp binding used only for estimates: prebuilt binary, never compiled or downloaded. */
function estimatorLlama(): Promise<Llama> {
  sharedLlama ??= llamaCpp().then(({ getLlama }) => getLlama({ build: "never", gpu: false }));
  return sharedLlama;
}

/** RAM the model and a context of `contextSize` tokens need on the CPU, and whether that fits now. */
export async function estimateGgufMemory(
  filePath: string,
  options: { contextSize?: number; freeRamBytes?: number; llama?: Llama } = {},
): Promise<MemoryEstimate> {
  const info = await readGgufInfo(filePath);
  const { GgufInsights } = await llamaCpp();
  const insights = await GgufInsights.from(info, options.llama ?? (await estimatorLlama()));
  const contextSize = options.contextSize ?? Math.min(insights.trainContextSize ?? 4096, 4096);
  const model = await insights.estimateModelResourceRequirementsV2({ gpuLayers: 0 });
  const context = await insights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: 0 });
  const freeRamBytes = options.freeRamBytes ?? freemem();
  const totalBytes = model.cpuRam + context.cpuRam;
  return {
    contextSize,
    modelBytes: model.cpuRam,
    contextBytes: context.cpuRam,
    totalBytes,
    freeRamBytes,
    fits: totalBytes <= freeRamBytes,
  };
}

export function describeMemoryEstimate(estimate: MemoryEstimate): string {
  const verdict = estimate.fits ? "fits" : "does NOT fit";
  return `needs ~${formatBytes(estimate.totalBytes)} (model ${formatBytes(estimate.modelBytes)} + context of ${estimate.contextSize} tokens ${formatBytes(estimate.contextBytes)}); ${verdict} in ${formatBytes(estimate.freeRamBytes)} free RAM`;
}

function fileUnreadable(filePath: string, error: unknown): AskDbError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") {
    return new AskDbError("NOT_FOUND", `no such file: ${filePath}`, {
      hint: "check the path, or run `askdb models list`",
    });
  }
  return new AskDbError("INVALID_INPUT", `cannot read ${filePath}: ${(error as Error).message}`, {
    cause: error,
  });
}
