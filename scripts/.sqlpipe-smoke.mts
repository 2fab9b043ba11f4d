import { createTextToSql } from "/work/main/src/sql/answer/index.js";
import { createShopFixture, SHOP_PAIRS } from "/work/main/src/sql/answer/test-fixture.js";
const f = createShopFixture();
const t2s = createTextToSql({ store: f.store, logger: { info: (l) => console.log("  log:", l) } });
console.log(await t2s.connect(f.dbPath));
console.log(await t2s.train(f.dbPath, { ddl: [], documentation: [], pairs: [...SHOP_PAIRS, { question: "bad", sql: "DELETE FROM customers" }, { question: "bad2", sql: "SELECT nope FROM customers" }] }));
const a = await t2s.ask(f.dbPath, "how many customers are there");
console.log(a.source, a.rows, a.matchedQuestion, a.timings);
const b = await t2s.ask(f.dbPath, "How many customers are there?");
console.log(b.source, b.rows, b.timings);
try { await t2s.ask(f.dbPath, "how many products are there"); } catch (e) { console.log("ERR", (e as any).code, (e as Error).message); }
console.log((await t2s.history({ dbPath: f.dbPath })).length);
await t2s.close(); f.cleanup();
