// The browser's localStorage, which may refuse (a private window's quota, a policy): then a choice is
// simply not remembered across visits; it still applies now. Shared by the staff app and the public pages
// (a few lines, no dependency).

export function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not remembered; nothing else depends on it
  }
}

/** One choice of language per device, for the staff app and the public pages alike. */
export const LOCALE_KEY = 'cordon.locale';

export function storedLocale(): 'vi' | 'en' {
  const v = readStored(LOCALE_KEY);
  return v === 'en' ? 'en' : 'vi'; // Vietnamese, the default
}
