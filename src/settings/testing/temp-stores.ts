import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "../../store/index.js";

export interface TempStores {
  dataDir(): string;
  open(dataDir?: string): Store;
  /** Closes every store and removes every directory made so far; call it in afterEach. */
  cleanup(): void;
}

/** For tests: fresh data directories with a real state store. */
export function createTempStores(): TempStores {
  const dirs: string[] = [];
  const stores: Store[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "askdb-settings-"));
    dirs.push(dir);
    return dir;
  };
  return {
    dataDir,
    cleanup() {
      for (const store of stores.splice(0)) store.close();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
    open(dir = dataDir()) {
      const store = openStore(dir);
      stores.push(store);
      return store;
    },
  };
}
