import { randomFillSync } from "node:crypto";
import { closeSync, openSync, renameSync, writeSync } from "node:fs";

/**
 * A minimal GGUF v3 writer, enough to produce models with random weights in the exact tensor
 * shapes of real ones: they cost llama.cpp what the real models cost, though their output is noise.
 */
export type GgufValue =
  | { type: "u32"; value: number }
  | { type: "i32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: string[] }
  | { type: "f32[]"; value: Float32Array }
  | { type: "i32[]"; value: Int32Array };

export interface GgufTensor {
  name: string;
  /** ggml order: the fastest-varying dimension first. */
  dims: number[];
  type: "f32" | "q4_0" | "q8_0";
  /** f32 tensors: the value every element takes (norm weights 1, biases 0). */
  fill?: number;
}

const ALIGNMENT = 32;
const GGML_TYPE = { f32: 0, q4_0: 2, q8_0: 8 } as const;
const VALUE_TYPE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;
/** Both quantisations pack 32 weights per block behind one fp16 scale. */
const BLOCK_ELEMENTS = 32;
const BLOCK_BYTES = { q4_0: 18, q8_0: 34 } as const;
/** fp16 scales that keep random activations finite: 0.02 for 4-bit, 0.001 for 8-bit blocks. */
const BLOCK_SCALE = { q4_0: 0x251f, q8_0: 0x1419 } as const;

class ByteSink {
  private chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(value: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value);
    this.push(b);
  }
  u64(value: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(value));
    this.push(b);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(sink: ByteSink, value: GgufValue): void {
  switch (value.type) {
    case "u32":
      sink.u32(VALUE_TYPE.u32);
      sink.u32(value.value);
      return;
    case "i32": {
      sink.u32(VALUE_TYPE.i32);
      const b = Buffer.alloc(4);
      b.writeInt32LE(value.value);
      sink.push(b);
      return;
    }
    case "f32": {
      sink.u32(VALUE_TYPE.f32);
      const b = Buffer.alloc(4);
      b.writeFloatLE(value.value);
      sink.push(b);
      return;
    }
    case "bool":
      sink.u32(VALUE_TYPE.bool);
      sink.push(Buffer.from([value.value ? 1 : 0]));
      return;
    case "string":
      sink.u32(VALUE_TYPE.string);
      sink.string(value.value);
      return;
    case "string[]":
      sink.u32(VALUE_TYPE.array);
      sink.u32(VALUE_TYPE.string);
      sink.u64(value.value.length);
      for (const item of value.value) sink.string(item);
      return;
    case "f32[]":
    case "i32[]":
      sink.u32(VALUE_TYPE.array);
      sink.u32(value.type === "f32[]" ? VALUE_TYPE.f32 : VALUE_TYPE.i32);
      sink.u64(value.value.length);
      sink.push(Buffer.from(value.value.buffer, value.value.byteOffset, value.value.byteLength));
      return;
  }
}

function tensorBytes(tensor: GgufTensor): number {
  const elements = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.type === "f32") return elements * 4;
  if (tensor.dims[0] % BLOCK_ELEMENTS !== 0) {
    throw new Error(`${tensor.name}: ${tensor.type} needs the first dimension to be a multiple of 32`);
  }
  return (elements / BLOCK_ELEMENTS) * BLOCK_BYTES[tensor.type];
}

const padTo = (n: number) => (ALIGNMENT - (n % ALIGNMENT)) % ALIGNMENT;

function header(metadata: Record<string, GgufValue>, tensors: GgufTensor[]): Buffer {
  const sink = new ByteSink();
  sink.push(Buffer.from("GGUF", "ascii"));
  sink.u32(3);
  sink.u64(tensors.length);
  sink.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    sink.string(key);
    writeValue(sink, value);
  }
  let offset = 0;
  for (const tensor of tensors) {
    sink.string(tensor.name);
    sink.u32(tensor.dims.length);
    for (const dim of tensor.dims) sink.u64(dim);
    sink.u32(GGML_TYPE[tensor.type]);
    sink.u64(offset);
    const size = tensorBytes(tensor);
    offset += size + padTo(size);
  }
  sink.push(Buffer.alloc(padTo(sink.length)));
  return sink.toBuffer();
}

function randomBlocks(type: "q4_0" | "q8_0", bytes: number): Buffer {
  const data = randomFillSync(Buffer.allocUnsafe(bytes));
  for (let block = 0; block < bytes; block += BLOCK_BYTES[type]) data.writeUInt16LE(BLOCK_SCALE[type], block);
  return data;
}

function tensorData(tensor: GgufTensor): Buffer {
  const size = tensorBytes(tensor);
  if (tensor.type !== "f32") return randomBlocks(tensor.type, size);
  const values = new Float32Array(size / 4).fill(tensor.fill ?? 0);
  return Buffer.from(values.buffer);
}

/** Writes the file beside `path` and renames it into place, so a half-written file never counts as done. */
export function writeGguf(path: string, metadata: Record<string, GgufValue>, tensors: GgufTensor[]): void {
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, "w");
  try {
    writeSync(fd, header(metadata, tensors));
    for (const tensor of tensors) {
      const data = tensorData(tensor);
      writeSync(fd, data);
      writeSync(fd, Buffer.alloc(padTo(data.length)));
    }
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
}
