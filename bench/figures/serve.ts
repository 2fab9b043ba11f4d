import { ensureBuilt, freshDemoHome } from "../support/setup.js";
import { startServe } from "../support/server-process.js";
import { median, ms, percentile } from "../support/stats.js";
import type { FigureGroup, Measurement } from "../support/types.js";

const MB = 1024 * 1024;

/** Start to ready, and memory after the ready server answered a few requests, over several starts. */
export const serveFigures: FigureGroup = {
  ids: ["serve-ready", "rss"],
  async run(context, selected) {
    ensureBuilt(context);
    const home = await freshDemoHome(context);
    const readyMs: number[] = [];
    const rssBytes: number[] = [];
    try {
      const starts = context.quick ? 3 : 7;
      for (let start = 0; start < starts; start += 1) {
        const server = await startServe(context, home.dir);
        try {
          const headers = { authorization: `Bearer ${server.token}`, "content-type": "application/json" };
          for (const path of ["/health", "/status", "/history"])
            await (await fetch(`${server.url}${path}`, { headers })).arrayBuffer();
          const body = JSON.stringify({ question: "What was the total sales revenue in October 2026?" });
          await (await fetch(`${server.url}/query`, { method: "POST", headers, body })).arrayBuffer();
          readyMs.push(server.readyMs);
          rssBytes.push(server.rssBytes());
        } finally {
          await server.stop();
        }
      }
    } finally {
      home.dispose();
    }
    const results: Measurement[] = [];
    const readyP50 = median(readyMs);
    if (selected.has("serve-ready")) {
      results.push({
        id: "serve-ready",
        figure: "`askdb serve` start to ready (no model loaded), p50",
        measured: ms(readyP50),
        target: "≤ 1 s",
        pass: readyP50 <= 1000,
        details: { runsMs: readyMs.map(Math.round), p95Ms: Math.round(percentile(readyMs, 95)) },
      });
    }
    const rss = median(rssBytes);
    if (selected.has("rss")) {
      results.push({
        id: "rss",
        figure: "memory with no model loaded (RSS), p50",
        measured: `${(rss / MB).toFixed(0)} MB`,
        target: "≤ 150 MB",
        pass: rss <= 150 * MB,
        details: { runsMB: rssBytes.map((b) => Math.round(b / MB)) },
      });
    }
    return results;
  },
};
