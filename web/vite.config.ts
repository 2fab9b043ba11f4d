import { fileURLToPath } from "node:url";
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const webRoot = fileURLToPath(new URL(".", import.meta.url));
/** `npm run dev:web` proxies the API to a running `askdb serve` (ASKDB_URL, default port 8765). */
const apiTarget = process.env.ASKDB_URL ?? "http://127.0.0.1:8765";
const apiPaths = [
  "/api",
  "/health",
  "/status",
  "/query",
  "/sql",
  "/train",
  "/download-model",
  "/download-progress",
  "/cancel-download",
  "/openapi.json",
  "/docs",
];

export default defineConfig({
  root: webRoot,
  base: "./",
  plugins: [react(), tailwindcss()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: Object.fromEntries(apiPaths.map((path) => [path, { target: apiTarget, changeOrigin: false }])),
  },
});
