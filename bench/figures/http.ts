import { Pool } from "undici";
import { ensureBuilt, freshDemoHome } from "../support/setup.js";
import { startServe } from "../support/server-process.js";
import { median, ms, percentile } from "../support/stats.js";
import type { FigureGroup } from "../support/types.js";

const CLIENTS = 32;
/** A trained demo question: the first ask answers from its example and caches it; the rest hit the cache. */
const QUESTION = "What was the total sales revenue in October 2026?";

/** 32 clients, each asking the cached question again as soon as it has its answer, for a fixed time. */
export const httpFigures: FigureGroup = {
  ids: ["http-cached"],
  async run(context) {
    ensureBuilt(context);
    const home = await freshDemoHome(context);
    const server = await startServe(context, home.dir);
    const pool = new Pool(server.url, { connections: CLIENTS, pipelining: 1 });
    try {
      const request = {
        path: "/query",
        method: "POST" as const,
        headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
        body: JSON.stringify({ question: QUESTION }),
      };
      const ask = async (): Promise<string> => {
        const response = await pool.request(request);
        const text = await response.body.text();
        if (response.statusCode !== 200) throw new Error(`POST /query answered ${response.statusCode}: ${text.slice(0, 300)}`);
        return text;
      };
      await ask();
      const source = (JSON.parse(await ask()) as { source: string }).source;
      if (source !== "cache") throw new Error(`the repeated question was answered from "${source}", not the cache`);
      const latencies: number[] = [];
      const client = async (until: number): Promise<void> => {
        while (performance.now() < until) {
          const started = performance.now();
          await ask();
          latencies.push(performance.now() - started);
        }
      };
      // Warm-up, then the measured window.
      await Promise.all(Array.from({ length: CLIENTS }, () => client(performance.now() + 1000)));
      latencies.length = 0;
      const seconds = context.quick ? 3 : 8;
      const started = performance.now();
      await Promise.all(Array.from({ length: CLIENTS }, () => client(started + seconds * 1000)));
      const throughput = latencies.length / ((performance.now() - started) / 1000);
      const p50 = median(latencies);
      return [
        {
          id: "http-cached",
          figure: `cached answer over HTTP, ${CLIENTS} concurrent clients`,
          measured: `p50 ${ms(p50)}, ${Math.round(throughput)}/s`,
          target: "p50 ≤ 5 ms, ≥ 2,000/s",
          pass: p50 <= 5 && throughput >= 2000,
          details: { answers: latencies.length, p95Ms: Math.round(percentile(latencies, 95) * 100) / 100, seconds },
        },
      ];
    } finally {
      await pool.close();
      await server.stop();
      home.dispose();
    }
  },
};
