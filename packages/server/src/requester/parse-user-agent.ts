import Bowser from 'bowser';

/** A User-Agent with the browser and OS names read from it. */
export interface ParsedUserAgent {
  /** The User-Agent itself: the same string instance for every caller that sent this text. */
  readonly userAgent: string;
  readonly browser: string;
  readonly os: string;
}

/**
 * Browser and operating system names for the confirm screen, e.g. `{ browser: 'Chrome 131',
 * os: 'Windows 10' }`. Uses bowser (MIT). Unknown parts are `''`: the app shows the raw
 * User-Agent rather than a guess.
 *
 * A site sees few distinct User-Agents and parsing is pure, so recent answers are remembered
 * (bounded), and the answer carries the remembered copy of the User-Agent: sessions keep that one
 * instead of each keeping its request's own copy of the same 100-odd bytes.
 *
 * @example
 * parseUserAgent(req.headers['user-agent']) // { userAgent: 'Mozilla/5.0 …', browser: 'Chrome 131', os: 'Windows 10' }
 */
export function parseUserAgent(userAgent: string): ParsedUserAgent {
  if (!userAgent) return UNKNOWN;
  const known = cache.get(userAgent);
  if (known) return known;
  const parsed = parse(userAgent);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(userAgent, parsed);
  return parsed;
}

const CACHE_LIMIT = 500;
const cache = new Map<string, ParsedUserAgent>();
const UNKNOWN: ParsedUserAgent = Object.freeze({ userAgent: '', browser: '', os: '' });

function parse(userAgent: string): ParsedUserAgent {
  try {
    const parsed = Bowser.parse(userAgent);
    const major = parsed.browser.version?.split('.')[0];
    const browser = [parsed.browser.name, major].filter(Boolean).join(' ');
    const os = [parsed.os.name, parsed.os.versionName ?? parsed.os.version].filter(Boolean).join(' ');
    return Object.freeze({ userAgent, browser, os });
  } catch {
    return Object.freeze({ userAgent, browser: '', os: '' });
  }
}
