import { randomUUID } from "node:crypto";

/** A short, sortable-enough, unique id with a readable prefix ("hist_…", "kn_…"). */
export function newId(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, "").slice(0, 20)}`;
}
