import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED_FILE, generateWebTypes } from "../../scripts/generate-web-types.js";
import type { components } from "../../web/src/api/generated.js";
import type {
  Answer,
  AskDbStatus,
  DownloadProgress,
  FeedbackInput,
  HistoryEntry,
  KnowledgeItem,
  ModelListing,
  SqlRun,
} from "../app/index.js";
import type { ExtensionConnection } from "../extension/index.js";
import type { FlagState, FlagUpdate } from "../settings/index.js";
import type { ChartSpec, SqlValue } from "../sql/index.js";
import type { WatchedDownload } from "./download-watch.js";
import type { DesktopDownloadProgress, Exact } from "./schemas/index.js";

type Schemas = components["schemas"];

// The web's generated types are the domain types too: this catches what the zod → OpenAPI →
// TypeScript conversion loses (a nullable component once became `Download & (… | null)`).
// Checked by `tsc`, like the checks in src/server/schemas/.
const _answer: Exact<Schemas["Answer"], Answer> = true;
const _chart: Exact<Schemas["ChartSpec"], ChartSpec> = true;
const _cell: Exact<Schemas["Cell"], SqlValue> = true;
const _sqlResult: Exact<Schemas["SqlResult"], SqlRun> = true;
const _history: Exact<Schemas["HistoryEntry"], HistoryEntry> = true;
const _feedback: Exact<Schemas["FeedbackRequest"], FeedbackInput> = true;
const _knowledge: Exact<Schemas["KnowledgeItem"], KnowledgeItem> = true;
const _download: Exact<Schemas["Download"], DownloadProgress> = true;
const _event: Exact<Schemas["DownloadEvent"], WatchedDownload> = true;
const _progress: Exact<Schemas["DownloadProgress"], DesktopDownloadProgress> = true;
const _models: Exact<Schemas["ModelList"], ModelListing> = true;
const _status: Exact<Schemas["Status"], AskDbStatus & { download: DesktopDownloadProgress | null }> = true;
const _flag: Exact<Schemas["Flag"], FlagState> = true;
const _flagUpdate: Exact<Schemas["FlagUpdate"], FlagUpdate> = true;
const _connection: Exact<Schemas["ExtensionConnection"], ExtensionConnection> = true;

describe("web/src/api/generated.ts", () => {
  it("is what `npm run gen:web-types` writes from the server's OpenAPI document", async () => {
    const expected = await generateWebTypes();
    const committed = readFileSync(GENERATED_FILE, "utf8");
    expect(
      committed,
      "web/src/api/generated.ts is stale: the API's shapes (src/server/schemas/) changed. " +
        "Run `npm run gen:web-types` and commit the result.",
    ).toBe(expected);
  });
});
