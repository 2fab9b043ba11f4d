/**
 * One lazily loaded resource (a model with its context). Asking with the key it was loaded under
 * returns it; another key (a different file, thread count or context size) replaces it. Requests
 * that arrive while it loads share the one load.
 */
export class LoadSlot<T> {
  private value: { key: string; resource: T } | undefined;
  private pending: { key: string; promise: Promise<T> } | undefined;

  constructor(private readonly dispose: (resource: T) => Promise<void>) {}

  get current(): T | undefined {
    return this.value?.resource;
  }

  get isLoading(): boolean {
    return this.pending !== undefined;
  }

  async get(key: string, load: () => Promise<T>): Promise<T> {
    if (this.value?.key === key) return this.value.resource;
    if (this.pending?.key === key) return this.pending.promise;
    await this.pending?.promise.catch(() => undefined);
    await this.clear();
    const promise = load();
    this.pending = { key, promise };
    try {
      const resource = await promise;
      this.value = { key, resource };
      return resource;
    } finally {
      if (this.pending?.promise === promise) this.pending = undefined;
    }
  }

  async clear(): Promise<void> {
    const value = this.value;
    this.value = undefined;
    if (value) await this.dispose(value.resource);
  }
}
