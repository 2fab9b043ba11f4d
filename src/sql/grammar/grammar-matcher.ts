/**
 * Test support: checks whether llama.cpp's own grammar engine accepts a whole text, by feeding the
 * text's tokens one by one through a grammar evaluation state and then asking whether end of
 * generation may follow. node-llama-cpp exposes no public "does this match" call, so this uses the
 * sampler binding its LlamaContext uses for the same check.
 */
import {
  getLlama,
  LlamaGrammarEvaluationState,
  type Llama,
  type LlamaGrammar,
  type LlamaModel,
  type Token,
} from "node-llama-cpp";

interface SamplerBindings {
  canBeNextTokenForGrammarEvaluationState(state: unknown, token: Token): boolean;
  acceptGrammarEvaluationStateToken(state: unknown, token: Token): void;
}

export interface GrammarMatcher {
  /** Compile a GBNF grammar; then `accepts(text)` says whether it matches the whole text. */
  compile(gbnf: string): Promise<{ accepts(text: string): boolean }>;
  close(): Promise<void>;
}

function samplerOf(llama: Llama): SamplerBindings {
  return (llama as unknown as { _bindings: { AddonSampler: SamplerBindings } })._bindings.AddonSampler;
}

function stateOf(state: LlamaGrammarEvaluationState): unknown {
  return (state as unknown as { _state: unknown })._state;
}

function acceptsText(
  model: LlamaModel,
  grammar: LlamaGrammar,
  sampler: SamplerBindings,
  text: string,
): boolean {
  const state = stateOf(new LlamaGrammarEvaluationState({ model, grammar }));
  for (const token of model.tokenize(text, false, "trimLeadingSpace")) {
    if (!sampler.canBeNextTokenForGrammarEvaluationState(state, token)) return false;
    sampler.acceptGrammarEvaluationStateToken(state, token);
  }
  const eos = model.tokens.eos;
  return eos !== null && sampler.canBeNextTokenForGrammarEvaluationState(state, eos);
}

/** A matcher over the tokenizer of `modelFile` (any small GGUF; its weights are not used). */
export async function createGrammarMatcher(modelFile: string): Promise<GrammarMatcher> {
  const llama = await getLlama({ build: "never", gpu: false });
  const model = await llama.loadModel({ modelPath: modelFile, gpuLayers: 0 });
  const sampler = samplerOf(llama);
  return {
    async compile(gbnf) {
      const grammar = await llama.createGrammar({ grammar: gbnf });
      return { accepts: (text) => acceptsText(model, grammar, sampler, text) };
    },
    async close() {
      await model.dispose();
    },
  };
}
