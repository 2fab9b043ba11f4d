import { createRoute } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { AskDb } from "../../app/index.js";
import type { RouteContext, ServerApp } from "../context.js";
import { textResponse } from "../schemas/index.js";

const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  tags: ["status"],
  summary: "Prometheus metrics: HTTP requests and latency, engine state, downloads, process",
  responses: {
    200: textResponse("text/plain", "Prometheus text format"),
  },
});

/** Registers /metrics and the middleware that counts every request (by route pattern, not raw path). */
export function registerMetricsRoutes(app: ServerApp, { askdb }: RouteContext): void {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "askdb_" });
  app.use("*", countRequests(registry));
  registerDownloadGauge(registry, askdb);
  app.openapi(metricsRoute, async (c) => {
    c.header("Content-Type", registry.contentType);
    // The engine renders its own families (queue, loaded model, per-model tokens and speed).
    const [server, engine] = await Promise.all([registry.metrics(), askdb.engine.prometheus()]);
    return c.body(`${server}\n${engine}`, 200) as never;
  });
}

function countRequests(registry: Registry): MiddlewareHandler {
  const requests = new Counter({
    name: "askdb_http_requests_total",
    help: "HTTP requests answered, by method, route and status",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const duration = new Histogram({
    name: "askdb_http_request_duration_seconds",
    help: "Time to the response headers, by method and route",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  return async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || "unmatched";
    requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    duration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
  };
}

function registerDownloadGauge(registry: Registry, askdb: AskDb): void {
  new Gauge({
    name: "askdb_downloads_active",
    help: "Downloads queued or running",
    registers: [registry],
    collect() {
      this.set(
        askdb.models.downloads.list().filter((d) => d.status === "queued" || d.status === "downloading")
          .length,
      );
    },
  });
}
