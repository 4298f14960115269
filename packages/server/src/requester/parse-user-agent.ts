import Bowser from 'bowser';

/**
 * Browser and operating system names for the confirm screen, e.g. `{ browser: 'Chrome 131',
 * os: 'Windows 10' }`. Uses bowser (MIT). Unknown parts are `''`: the app shows the raw
 * User-Agent rather than a guess.
 *
 * @example
 * parseUserAgent(req.headers['user-agent'])
 */
export function parseUserAgent(userAgent: string): { browser: string; os: string } {
  if (!userAgent) return { browser: '', os: '' };
  // A site sees few distinct User-Agents and parsing is pure: remember recent answers (bounded).
  const known = cache.get(userAgent);
  if (known) return known;
  const parsed = parse(userAgent);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(userAgent, parsed);
  return parsed;
}

const CACHE_LIMIT = 500;
const cache = new Map<string, { browser: string; os: string }>();

function parse(userAgent: string): { browser: string; os: string } {
  try {
    const parsed = Bowser.parse(userAgent);
    const major = parsed.browser.version?.split('.')[0];
    const browser = [parsed.browser.name, major].filter(Boolean).join(' ');
    const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ');
    return { browser, os };
  } catch {
    return { browser: '', os: '' };
  }
}
