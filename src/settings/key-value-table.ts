import type { Store } from "../store/index.js";

/** One of askdb's key → value tables of switches (`settings`, `feature_flags`), each row stamped. */
export interface KeyValueTable<V> {
  all(): Array<{ key: string; value: V }>;
  put(key: string, value: V): void;
  remove(key: string): void;
  removeAll(): void;
}

export function keyValueTable<V>(
  store: Store,
  table: "settings" | "feature_flags",
  columns: { key: string; value: string },
): KeyValueTable<V> {
  const { key, value } = columns;
  const all = store.db.prepare<[], { key: string; value: V }>(
    `SELECT ${key} AS key, ${value} AS value FROM ${table}`,
  );
  const put = store.db.prepare(
    `INSERT INTO ${table} (${key}, ${value}, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(${key}) DO UPDATE SET ${value} = excluded.${value}, updated_at = excluded.updated_at`,
  );
  const remove = store.db.prepare(`DELETE FROM ${table} WHERE ${key} = ?`);
  const removeAll = store.db.prepare(`DELETE FROM ${table}`);
  return {
    all: () => all.all(),
    put: (name, data) => void put.run(name, data, new Date().toISOString()),
    remove: (name) => void remove.run(name),
    removeAll: () => void removeAll.run(),
  };
}
