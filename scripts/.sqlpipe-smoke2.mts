import { createTextToSql } from "/work/main/src/sql/answer/index.js";
import { createEngine } from "/work/main/src/engine/index.js";
import { createShopFixture, SHOP_PAIRS } from "/work/main/src/sql/answer/test-fixture.js";
const f = createShopFixture();
const engine = createEngine({ modelFile: "/work/shared/models/llama-2-tiny-random.gguf", config: { threads: 1, contextSize: 2048 } });
const t2s = createTextToSql({ store: f.store, engine, model: "tiny", logger: { info: (l) => console.log("  log:", l) } });
await t2s.train(f.dbPath, { ddl: [], documentation: [], pairs: SHOP_PAIRS });
for (const q of []) {
  let n = 0;
  const a = await t2s.ask(f.dbPath, q, { conversationId: "c1", onEvent: (e) => { if (e.token) n++; } });
  console.log(a.source, a.rowCount, a.attempts.map((x) => [x.kind, x.promptTokens, x.reusedPromptTokens, x.error]), a.timings, n, a.standaloneQuestion);
}
const a = await t2s.ask(f.dbPath, "average price of paint products", { useGrammar: false }).catch((e) => { console.log("nogrammar:", e.message, e.code, JSON.stringify(e.details ?? {}).slice(0, 600)); });
await t2s.close(); await engine.close(); f.cleanup();
