// The page's own display preferences (theme, time zone, legend fold) in
// localStorage: a storage that refuses (private mode) costs only persistence.

/** The stored value, or null when none is stored or storage refuses. */
export function readPreference(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** Stores the value; when storage refuses, the choice lasts this session only. */
export function writePreference(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not kept
  }
}
