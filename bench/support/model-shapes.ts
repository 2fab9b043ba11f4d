import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
import { readLlamaCppFile } from "../../scripts/support/llama-cpp-source.js";
import { writeGguf, type GgufTensor, type GgufValue } from "./gguf-writer.js";

/** Architecture figures of real catalog models (from their config.json on Hugging Face). */
export interface ModelShape {
  id: string;
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  kvHeads: number;
  vocab: number;
  contextLength: number;
}

export const SHAPES: Record<"qwen2.5-0.5b" | "qwen2.5-1.5b", ModelShape> = {
  "qwen2.5-0.5b": {
    id: "qwen2.5-0.5b",
    hidden: 896,
    intermediate: 4864,
    layers: 24,
    heads: 14,
    kvHeads: 2,
    vocab: 151936,
    contextLength: 32768,
  },
  "qwen2.5-1.5b": {
    id: "qwen2.5-1.5b",
    hidden: 1536,
    intermediate: 8960,
    layers: 28,
    heads: 12,
    kvHeads: 2,
    vocab: 151936,
    contextLength: 32768,
  },
};

/** Where llama.cpp keeps Qwen2's tokenizer (vocabulary, merges, chat template) as a vocabulary-only GGUF. */
const QWEN2_VOCABULARY = "models/ggml-vocab-qwen2.gguf";

/**
 * Qwen's real tokenizer and chat template, from the llama.cpp source that node-llama-cpp ships, so
 * a prompt costs the benchmark exactly as many tokens as it costs the real model.
 */
async function qwenVocabulary(shape: ModelShape, cacheDir: string): Promise<Record<string, GgufValue>> {
  const file = join(cacheDir, "ggml-vocab-qwen2.gguf");
  if (!existsSync(file)) writeFileSync(file, readLlamaCppFile(QWEN2_VOCABULARY, cacheDir));
  const { metadata } = await readGgufFileInfo(file);
  const tokenizer = metadata.tokenizer as unknown as {
    ggml: {
      model: string;
      pre: string;
      tokens: string[];
      token_type: number[];
      merges: string[];
      bos_token_id: number;
      eos_token_id: number;
      padding_token_id: number;
    };
    chat_template: string;
  };
  const { ggml } = tokenizer;
  if (ggml.tokens.length !== shape.vocab) {
    throw new Error(`${file} has ${ggml.tokens.length} tokens; the ${shape.id} shape needs ${shape.vocab}`);
  }
  return {
    "tokenizer.ggml.model": { type: "string", value: ggml.model },
    "tokenizer.ggml.pre": { type: "string", value: ggml.pre },
    "tokenizer.ggml.tokens": { type: "string[]", value: ggml.tokens },
    "tokenizer.ggml.token_type": { type: "i32[]", value: Int32Array.from(ggml.token_type) },
    "tokenizer.ggml.merges": { type: "string[]", value: ggml.merges },
    "tokenizer.ggml.bos_token_id": { type: "u32", value: ggml.bos_token_id },
    "tokenizer.ggml.eos_token_id": { type: "u32", value: ggml.eos_token_id },
    "tokenizer.ggml.padding_token_id": { type: "u32", value: ggml.padding_token_id },
    "tokenizer.ggml.add_bos_token": { type: "bool", value: false },
    "tokenizer.chat_template": { type: "string", value: tokenizer.chat_template },
  };
}

function qwen2Tensors(shape: ModelShape): GgufTensor[] {
  const { hidden, intermediate, vocab } = shape;
  const kvDim = (hidden / shape.heads) * shape.kvHeads;
  // Q4_0 conversions of Qwen2.5 keep the (tied) embedding matrix at 8 bits.
  const tensors: GgufTensor[] = [{ name: "token_embd.weight", dims: [hidden, vocab], type: "q8_0" }];
  for (let layer = 0; layer < shape.layers; layer += 1) {
    const p = `blk.${layer}`;
    tensors.push(
      { name: `${p}.attn_norm.weight`, dims: [hidden], type: "f32", fill: 1 },
      { name: `${p}.attn_q.weight`, dims: [hidden, hidden], type: "q4_0" },
      { name: `${p}.attn_q.bias`, dims: [hidden], type: "f32" },
      { name: `${p}.attn_k.weight`, dims: [hidden, kvDim], type: "q4_0" },
      { name: `${p}.attn_k.bias`, dims: [kvDim], type: "f32" },
      { name: `${p}.attn_v.weight`, dims: [hidden, kvDim], type: "q4_0" },
      { name: `${p}.attn_v.bias`, dims: [kvDim], type: "f32" },
      { name: `${p}.attn_output.weight`, dims: [hidden, hidden], type: "q4_0" },
      { name: `${p}.ffn_norm.weight`, dims: [hidden], type: "f32", fill: 1 },
      { name: `${p}.ffn_gate.weight`, dims: [hidden, intermediate], type: "q4_0" },
      { name: `${p}.ffn_up.weight`, dims: [hidden, intermediate], type: "q4_0" },
      { name: `${p}.ffn_down.weight`, dims: [intermediate, hidden], type: "q4_0" },
    );
  }
  tensors.push({ name: "output_norm.weight", dims: [shape.hidden], type: "f32", fill: 1 });
  return tensors;
}

function qwen2Metadata(shape: ModelShape): Record<string, GgufValue> {
  return {
    "general.architecture": { type: "string", value: "qwen2" },
    "general.name": { type: "string", value: `${shape.id} shape, random weights (benchmark only)` },
    "general.file_type": { type: "u32", value: 2 },
    "general.alignment": { type: "u32", value: 32 },
    "qwen2.context_length": { type: "u32", value: shape.contextLength },
    "qwen2.embedding_length": { type: "u32", value: shape.hidden },
    "qwen2.feed_forward_length": { type: "u32", value: shape.intermediate },
    "qwen2.block_count": { type: "u32", value: shape.layers },
    "qwen2.attention.head_count": { type: "u32", value: shape.heads },
    "qwen2.attention.head_count_kv": { type: "u32", value: shape.kvHeads },
    "qwen2.rope.freq_base": { type: "f32", value: 1_000_000 },
    "qwen2.attention.layer_norm_rms_epsilon": { type: "f32", value: 1e-6 },
  };
}

/** The path of a random-weight GGUF in `shape`, generated once into `cacheDir` (outside the repo). */
export async function ensureShapeModel(shape: ModelShape, cacheDir: string): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, `${shape.id}-random-q4_0-qwen-vocab.gguf`);
  if (existsSync(path)) return path;
  const metadata = { ...qwen2Metadata(shape), ...(await qwenVocabulary(shape, cacheDir)) };
  writeGguf(path, metadata, qwen2Tensors(shape));
  return path;
}
