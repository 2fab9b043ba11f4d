/**
 * localStorage that never throws: a browser blocks it for a page framed by another site, or under
 * strict privacy settings, and then the UI works on without remembering (and says so once).
 */
export function save(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // blocked: nothing is remembered, which storageBlocked() lets the UI say
  }
}

/** Whether this page cannot keep anything in the browser's storage. */
export function storageBlocked(): boolean {
  try {
    const probe = "askdb.storage-probe";
    window.localStorage.setItem(probe, "1");
    window.localStorage.removeItem(probe);
    return false;
  } catch {
    return true;
  }
}
