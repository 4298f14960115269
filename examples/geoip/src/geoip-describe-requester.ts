import type { RequesterDescription } from '@qrlogin/server';
import { type CityResponse, open, type Reader, validate } from 'maxmind';

/** Options of {@link geoipDescribeRequester} and {@link openGeoIp}. */
export interface GeoIpOptions {
  /**
   * Language of the place names, one of the database's `languages` (GeoLite2 has `en`, `de`, `es`,
   * `fr`, `ja`, `pt-BR`, `ru`, `zh-CN`). Falls back to English when a name is missing in it.
   * @default 'en'
   */
  language?: string;
}

/** The `describeRequester` hook qrlogin calls with the client's IP and User-Agent. */
export type DescribeRequester = (ip: string, userAgent: string) => RequesterDescription;

type Names = Readonly<Record<string, string | undefined>> | undefined;

function nameIn(names: Names, language: string): string | undefined {
  return names?.[language] ?? names?.en;
}

/**
 * Formats a GeoIP record as the place qrlogin shows on the confirm screen and compares for
 * proximity: `City, CC` when the city is known, else the country's name, else nothing. Two
 * addresses are "in the same place" only when these strings are equal, so the format is coarse on
 * purpose: GeoIP is rarely right about anything finer than a city.
 *
 * @example
 * placeOf({ city: { geoname_id: 2950159, names: { en: 'Berlin' } }, country: { iso_code: 'DE', … } }) // 'Berlin, DE'
 */
export function placeOf(record: CityResponse | null, language = 'en'): string | undefined {
  if (!record) return undefined;
  const city = nameIn(record.city?.names as Names, language);
  const country = record.country ?? record.registered_country;
  if (city && country?.iso_code) return `${city}, ${country.iso_code}`;
  return nameIn(country?.names as Names, language);
}

/**
 * A `describeRequester` hook backed by an open MaxMind-format reader (GeoLite2-City, GeoIP2-City,
 * GeoLite2-Country or any database with the same record shape). Lookups are synchronous, in
 * memory, and never throw: an address the database does not cover, a private address or
 * something that is not an IP at all gives `{}`, and qrlogin then shows no place.
 *
 * @example
 * import { type CityResponse, open } from 'maxmind';
 * const reader = await open<CityResponse>('/var/lib/GeoIP/GeoLite2-City.mmdb');
 * const qr = createQrLogin({ origin, describeRequester: geoipDescribeRequester(reader) });
 */
export function geoipDescribeRequester(reader: Reader<CityResponse>, options: GeoIpOptions = {}): DescribeRequester {
  const language = options.language ?? 'en';
  return (rawIp) => {
    // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; GeoIP files index them as IPv4.
    const ip = /^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(rawIp) ? rawIp.slice(7) : rawIp;
    if (!validate(ip)) return {};
    let record: CityResponse | null;
    try {
      record = reader.get(ip);
    } catch {
      // A corrupt database region must cost the user a place on the confirm screen, not the login.
      return {};
    }
    const place = placeOf(record, language);
    return place ? { place } : {};
  };
}

/**
 * Opens the GeoIP database file the host supplies and returns the hook. With `watch: true` the file
 * is re-read when it changes on disk (e.g. after a weekly `geoipupdate`), without a restart.
 *
 * @example
 * const describeRequester = await openGeoIp(process.env.GEOIP_DB ?? '/var/lib/GeoIP/GeoLite2-City.mmdb');
 * const qr = createQrLogin({ origin: 'https://example.com', describeRequester, proximity: 'warn' });
 */
export async function openGeoIp(
  path: string,
  options: GeoIpOptions & {
    /** Reload the database when the file changes. @default false */
    watch?: boolean;
  } = {},
): Promise<DescribeRequester> {
  const reader = await open<CityResponse>(path, {
    watchForUpdates: options.watch ?? false,
    // The watcher must not keep a process alive that is otherwise done (tests, CLI tools).
    watchForUpdatesNonPersistent: true,
  });
  return geoipDescribeRequester(reader, options);
}
