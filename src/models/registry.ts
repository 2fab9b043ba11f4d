import type { Statement } from "better-sqlite3";
import type { Store } from "../store/index.js";
import type { ModelKind } from "./catalog.js";
import type { GgufSummary } from "./gguf.js";

export type ModelSource = "catalog" | "hf" | "url" | "file";

/** A model file askdb can load, as recorded in the state store. */
export interface InstalledModel {
  id: string;
  name: string;
  kind: ModelKind;
  path: string;
  sizeBytes: number;
  sha256: string | null;
  source: ModelSource;
  sourceRef: string | null;
  /** False when registered in place: removing the model never deletes the user's own file. */
  ownsFile: boolean;
  gguf: GgufSummary | null;
  installedAt: string;
  lastUsedAt: string | null;
  useCount: number;
  active: boolean;
}

interface ModelRow {
  id: string;
  name: string;
  kind: ModelKind;
  file_path: string;
  size_bytes: number;
  sha256: string | null;
  source: ModelSource;
  source_ref: string | null;
  owns_file: number;
  gguf_json: string | null;
  installed_at: string;
  last_used_at: string | null;
  use_count: number;
  active: number;
}

function fromRow(row: ModelRow): InstalledModel {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    path: row.file_path,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    source: row.source,
    sourceRef: row.source_ref,
    ownsFile: row.owns_file === 1,
    gguf: row.gguf_json ? (JSON.parse(row.gguf_json) as GgufSummary) : null,
    installedAt: row.installed_at,
    lastUsedAt: row.last_used_at,
    useCount: row.use_count,
    active: row.active === 1,
  };
}

export type NewModel = Omit<InstalledModel, "installedAt" | "lastUsedAt" | "useCount" | "active">;

/** The `models` table: installed models, the active one per kind, usage counts. */
export class ModelRegistry {
  constructor(private readonly store: Store) {}

  list(): InstalledModel[] {
    return this.store.db
      .prepare<[], ModelRow>("SELECT * FROM models ORDER BY kind, installed_at")
      .all()
      .map(fromRow);
  }

  get(id: string): InstalledModel | undefined {
    const row = this.store.db.prepare<[string], ModelRow>("SELECT * FROM models WHERE id = ?").get(id);
    return row ? fromRow(row) : undefined;
  }

  findByPath(path: string): InstalledModel | undefined {
    const row = this.store.db
      .prepare<[string], ModelRow>("SELECT * FROM models WHERE file_path = ?")
      .get(path);
    return row ? fromRow(row) : undefined;
  }

  /** An id not taken yet: `base`, else `base-2`, `base-3`, … */
  freeId(base: string): string {
    let id = base;
    for (let n = 2; this.get(id); n += 1) id = `${base}-${n}`;
    return id;
  }

  insert(model: NewModel): InstalledModel {
    this.store.db
      .prepare(
        `INSERT INTO models (id, name, kind, file_path, size_bytes, sha256, source, source_ref, owns_file, gguf_json, installed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        model.id,
        model.name,
        model.kind,
        model.path,
        model.sizeBytes,
        model.sha256,
        model.source,
        model.sourceRef,
        model.ownsFile ? 1 : 0,
        model.gguf ? JSON.stringify(model.gguf) : null,
        new Date().toISOString(),
      );
    // The first model of its kind becomes active: a new user pulls one model and asks.
    if (!this.getActive(model.kind)) this.activate(model.id);
    return this.get(model.id)!;
  }

  remove(id: string): void {
    this.store.db.prepare("DELETE FROM models WHERE id = ?").run(id);
  }

  activate(id: string): void {
    this.store.transaction(() => {
      const model = this.get(id);
      if (!model) return;
      this.store.db.prepare("UPDATE models SET active = 0 WHERE kind = ? AND active = 1").run(model.kind);
      this.store.db.prepare("UPDATE models SET active = 1 WHERE id = ?").run(id);
    });
  }

  /** Read on every question (which model answers?): its statement is prepared once. */
  private activeStatement?: Statement<[string], ModelRow>;

  getActive(kind: ModelKind): InstalledModel | undefined {
    this.activeStatement ??= this.store.db.prepare<[string], ModelRow>(
      "SELECT * FROM models WHERE kind = ? AND active = 1",
    );
    const row = this.activeStatement.get(kind);
    return row ? fromRow(row) : undefined;
  }

  markUsed(id: string): void {
    this.store.db
      .prepare("UPDATE models SET use_count = use_count + 1, last_used_at = ? WHERE id = ?")
      .run(new Date().toISOString(), id);
  }
}
