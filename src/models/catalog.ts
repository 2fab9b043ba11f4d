import { availableParallelism, freemem } from "node:os";
import { AskDbError } from "../errors/index.js";
import { CATALOG } from "./catalog-data.js";

export type ModelKind = "llm" | "embedding";
export type SizeClass = "small" | "medium" | "large";
export const SIZE_CLASSES: readonly SizeClass[] = ["small", "medium", "large"];
export const CATALOG_TAGS = ["sql", "coder", "chat", "embedding", ...SIZE_CLASSES] as const;
export type CatalogTag = (typeof CATALOG_TAGS)[number];

export interface CatalogEntry {
  id: string;
  name: string;
  description: string;
  kind: ModelKind;
  hfRepo: string;
  fileName: string;
  /** A commit hash where one is known, else "main". */
  revision: string;
  sizeBytes: number;
  /** Null when unknown here; resolve fills it from the Hugging Face listing at pull time. */
  sha256: string | null;
  parameters: number;
  quantization: string;
  contextLength: number;
  license: string;
  tags: CatalogTag[];
  minRamBytes: number;
  recommended: boolean;
}

export interface CatalogFilter {
  size?: SizeClass;
  tag?: string;
  kind?: ModelKind;
}

export function listCatalog(filter: CatalogFilter = {}): CatalogEntry[] {
  if (filter.size && !SIZE_CLASSES.includes(filter.size)) {
    throw new AskDbError("INVALID_INPUT", `unknown size "${filter.size}"`, {
      hint: `use one of: ${SIZE_CLASSES.join(", ")}`,
    });
  }
  if (filter.tag && !(CATALOG_TAGS as readonly string[]).includes(filter.tag)) {
    throw new AskDbError("INVALID_INPUT", `unknown tag "${filter.tag}"`, {
      hint: `use one of: ${CATALOG_TAGS.join(", ")}`,
    });
  }
  return CATALOG.filter(
    (entry) =>
      (!filter.size || entry.tags.includes(filter.size)) &&
      (!filter.tag || entry.tags.includes(filter.tag as CatalogTag)) &&
      (!filter.kind || entry.kind === filter.kind),
  );
}

export function findCatalogEntry(id: string): CatalogEntry | undefined {
  const wanted = id.trim().toLowerCase();
  return CATALOG.find((entry) => entry.id === wanted);
}

export function getCatalogEntry(id: string): CatalogEntry {
  const entry = findCatalogEntry(id);
  if (!entry) {
    throw new AskDbError("NOT_FOUND", `"${id}" is not a model in the catalog`, {
      hint: `run \`askdb models list\` to see the catalog (e.g. ${CATALOG[0].id}), or pull hf:<owner>/<repo>/<file.gguf> or an https:// URL`,
    });
  }
  return entry;
}

export interface Recommendation {
  entry: CatalogEntry;
  freeRamBytes: number;
  fits: boolean;
  reason: string;
}

/**
 * The model to suggest for this machine: the largest SQL model whose RAM needs fit in free RAM with
 * room to spare (the OS and the database need memory too), limited by CPU cores (a 7B model on two
 * cores answers too slowly to be pleasant); the smallest SQL model when nothing fits comfortably.
 */
export function recommendForMachine(
  freeRamBytes: number = freemem(),
  options: { kind?: ModelKind; cpuCores?: number } = {},
): Recommendation {
  const kind = options.kind ?? "llm";
  const cpuCores = options.cpuCores ?? availableParallelism();
  const largestClass: SizeClass = cpuCores < 4 ? "small" : cpuCores < 8 ? "medium" : "large";
  const allowed = SIZE_CLASSES.slice(0, SIZE_CLASSES.indexOf(largestClass) + 1);
  const candidates = CATALOG.filter(
    (entry) => entry.kind === kind && (kind === "embedding" || entry.tags.includes("sql")),
  )
    .slice()
    // Among models of equal size the last one wins: prefer coder models, they write better SQL.
    .sort(
      (a, b) =>
        a.minRamBytes - b.minRamBytes || Number(a.tags.includes("coder")) - Number(b.tags.includes("coder")),
    );
  const comfortable = candidates.filter(
    (entry) =>
      entry.minRamBytes * RAM_HEADROOM <= freeRamBytes &&
      entry.tags.some((tag) => (allowed as string[]).includes(tag)),
  );
  if (comfortable.length === 0) {
    const smallest = candidates[0];
    return {
      entry: smallest,
      freeRamBytes,
      fits: smallest.minRamBytes <= freeRamBytes,
      reason: "the smallest model; free RAM is tight",
    };
  }
  const entry = comfortable[comfortable.length - 1];
  const reason = entry.recommended
    ? `recommended; fits in free RAM${largestClass === "large" ? "" : ` and suits ${cpuCores} CPU cores`}`
    : "the largest model that fits comfortably in free RAM and runs well on this CPU";
  return { entry, freeRamBytes, fits: true, reason };
}

const RAM_HEADROOM = 1.25;
