import { ensureDemoDatabase } from "/work/main/src/demo/index.js";
import { openUserDatabase } from "/work/main/src/sql/connect/index.js";
import { introspectSchema } from "/work/main/src/sql/schema/index.js";
import { buildSqlGrammar } from "/work/main/src/sql/grammar/index.js";
import { getLlama, LlamaCompletion } from "node-llama-cpp";
const path = ensureDemoDatabase("/tmp/sqlpipe/data");
const udb = openUserDatabase(path);
const schema = introspectSchema(udb.db);
console.log(schema.tables.length, "tables");
const g = buildSqlGrammar(schema, { maxJoins: Number(process.argv[2] ?? 1) as 0 | 1 });
console.log("grammar bytes", g.length, "rules", g.split("\n").length);
const llama = await getLlama({ build: "never" });
const model = await llama.loadModel({ modelPath: "/work/shared/models/llama-2-tiny-random.gguf" });
const ctx = await model.createContext({ contextSize: 2048, threads: 1 });
let t = Date.now();
const grammar = await llama.createGrammar({ grammar: g });
console.log("grammar compile ms", Date.now() - t);
const completion = new LlamaCompletion({ contextSequence: ctx.getSequence() });
let ok = 0, bad = 0;
for (let i = 0; i < Number(process.argv[3] ?? 5); i++) {
  t = Date.now();
  let n = 0;
  const text = await completion.generateCompletion("Question: how many products? SQL: ", { grammar, maxTokens: 400, temperature: 0.8, seed: i, onTextChunk: () => { n++; } });
  const ms = Date.now() - t;
  try { udb.db.prepare(text); ok++; console.log(`OK ${ms}ms ${n}chunks`, text.slice(0, 300)); } catch (e) { bad++; console.log(`BAD ${ms}ms`, (e as Error).message, text); }
}
console.log({ ok, bad });
process.exit(0);
