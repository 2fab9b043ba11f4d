import type { Engine, GenerationResult } from "../../src/engine/index.js";

/** What the wrapped engine spent: wall time inside the model, and each generation's figures. */
export interface ModelSpend {
  chatMs: number;
  generations: GenerationResult[];
}

/**
 * A real engine whose every reply costs exactly `tokens` generated tokens. Random-weight models
 * write gibberish, so the reply text is replaced by `sqlFor()` (a known-good query): the model's
 * cost is real, and guard, execution and the answer's JSON run on a real query. The grammar is
 * dropped because it lets a random model end early; without it generation is exactly `tokens` long.
 * Its streamed gibberish is not passed on either: the pipeline would stop it as a loop.
 */
export function fixedLengthEngine(
  engine: Engine,
  tokens: number,
  sqlFor: () => string,
  spend: ModelSpend,
): Engine {
  return {
    chat: async (messages, options = {}) => {
      const started = performance.now();
      try {
        const result = await engine.chat(messages, {
          ...options,
          grammar: undefined,
          stop: [],
          maxTokens: tokens,
          onToken: undefined,
        });
        spend.generations.push(result);
        return { ...result, text: sqlFor() };
      } finally {
        spend.chatMs += performance.now() - started;
      }
    },
    complete: (prompt, options) => engine.complete(prompt, options),
    embed: (texts, options) => engine.embed(texts, options),
    countTokens: (text) => engine.countTokens(text),
    contextSize: () => engine.contextSize(),
    capabilities: () => engine.capabilities(),
    status: () => engine.status(),
    unload: () => engine.unload(),
  };
}
