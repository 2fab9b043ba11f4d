import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { readGgufFileInfo } from "node-llama-cpp";
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

const CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

/**
 * Qwen's own tokenizer is not available offline, so the file carries the Llama 2 SentencePiece
 * vocabulary (similar characters per token) padded to Qwen's vocabulary size, which keeps the
 * embedding and output matrices — a large share of a small model's cost — at their real size.
 */
async function paddedVocabulary(
  vocabSize: number,
  tokenizerSource: string,
): Promise<Record<string, GgufValue>> {
  const info = await readGgufFileInfo(tokenizerSource);
  const source = info.metadata.tokenizer.ggml as unknown as {
    tokens: string[];
    scores: number[];
    token_type: number[];
  };
  const tokens = [...source.tokens];
  const scores = new Float32Array(vocabSize);
  const types = new Int32Array(vocabSize);
  scores.set(source.scores);
  types.set(source.token_type);
  for (let id = tokens.length; id < vocabSize; id += 1) {
    tokens.push(`<unused_${id}>`);
    scores[id] = -1e9;
    types[id] = 5; // unused
  }
  return {
    "tokenizer.ggml.model": { type: "string", value: "llama" },
    "tokenizer.ggml.tokens": { type: "string[]", value: tokens },
    "tokenizer.ggml.scores": { type: "f32[]", value: scores },
    "tokenizer.ggml.token_type": { type: "i32[]", value: types },
    "tokenizer.ggml.bos_token_id": { type: "u32", value: 1 },
    "tokenizer.ggml.eos_token_id": { type: "u32", value: 2 },
    "tokenizer.ggml.unknown_token_id": { type: "u32", value: 0 },
    "tokenizer.ggml.add_bos_token": { type: "bool", value: false },
    "tokenizer.chat_template": { type: "string", value: CHATML_TEMPLATE },
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
export async function ensureShapeModel(
  shape: ModelShape,
  cacheDir: string,
  tokenizerSource: string,
): Promise<string> {
  mkdirSync(cacheDir, { recursive: true });
  const path = join(cacheDir, `${shape.id}-random-q4_0.gguf`);
  if (existsSync(path)) return path;
  const metadata = { ...qwen2Metadata(shape), ...(await paddedVocabulary(shape.vocab, tokenizerSource)) };
  writeGguf(path, metadata, qwen2Tensors(shape));
  return path;
}
