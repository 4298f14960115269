/**
 * Every option of `createQrLogin` is checked the way docs/server.md promises: a bad value throws a
 * `TypeError` naming the option, quoting a string it got, and saying what was expected.
 */
import { describe, expect, it } from 'vitest';
import { type QrLoginOptions, resolveOptions } from './options.js';

const ORIGIN = 'https://example.com';

function refusal(options: Record<string, unknown>): string {
  try {
    resolveOptions({ origin: ORIGIN, ...options } as unknown as QrLoginOptions);
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError);
    return (err as TypeError).message;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('resolveOptions refuses', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['numberMatching: "yes"', { numberMatching: 'yes' }, 'option "numberMatching" must be true or false, got "yes"'],
    ['numberMatching: 1', { numberMatching: 1 }, 'option "numberMatching" must be true or false, got 1'],
    ['allowedOrigins as a string', { allowedOrigins: ORIGIN }, 'option "allowedOrigins" must be an array of origins'],
    ['allowedOrigins empty', { allowedOrigins: [] }, 'option "allowedOrigins" must list at least one origin'],
    ['allowedOrigins with a path', { allowedOrigins: [`${ORIGIN}/`] }, `holds "${ORIGIN}/", which is not`],
    ['proximity: "on"', { proximity: 'on' }, 'option "proximity" must be one of "off", "warn", "deny", got "on"'],
    ['scanConflict: 1', { scanConflict: 1 }, 'option "scanConflict" must be one of "refuse", "cancel", got 1'],
    [
      'sessionTtlSeconds as a string',
      { sessionTtlSeconds: '120' },
      'option "sessionTtlSeconds" must be a positive number, got "120"',
    ],
    ['clockSkewSeconds: 0', { clockSkewSeconds: 0 }, 'option "clockSkewSeconds" must be a positive number, got 0'],
    [
      'longPollSeconds: NaN',
      { longPollSeconds: Number.NaN },
      'option "longPollSeconds" must be a positive number, got NaN',
    ],
    ['maxBodyBytes: 1.5', { maxBodyBytes: 1.5 }, 'option "maxBodyBytes" must be a positive integer, got 1.5'],
    ['trustProxy: true', { trustProxy: true }, 'option "trustProxy" must be false or a positive integer, got true'],
    ['trustProxy: "1"', { trustProxy: '1' }, 'option "trustProxy" must be false or a positive integer, got "1"'],
    ['authenticate as a string', { authenticate: 'yes' }, 'option "authenticate" must be a function, got "yes"'],
    ['now as a number', { now: 5 }, 'option "now" must be a function, got 5'],
    [
      'store without methods',
      { store: {} },
      'option "store" must be a SessionStore (missing create, get, compareAndSet, hit)',
    ],
    ['devices as null', { devices: null }, 'option "devices" must be a DeviceStore'],
    ['bus without subscribe', { bus: { publish() {} } }, 'option "bus" must be an EventBus (missing subscribe)'],
    ['rateLimits: true', { rateLimits: true }, 'option "rateLimits" must be false or an object of rules'],
    [
      'an unknown rate-limit rule',
      { rateLimits: { createSesion: { limit: 1, windowSeconds: 1 } } },
      'option "rateLimits" has no rule "createSesion"',
    ],
    [
      'a rate-limit rule as a number',
      { rateLimits: { poll: 5 } },
      'option "rateLimits.poll" must be { limit, windowSeconds }, got 5',
    ],
    ['socket as a number', { socket: 5 }, 'option "socket" must be an object, got 5'],
    ['an unknown socket field', { socket: { maxPerIP: 5 } }, 'option "socket" has no field "maxPerIP"'],
    [
      'socket.maxPerIp as a string',
      { socket: { maxPerIp: '5' } },
      'option "socket.maxPerIp" must be a positive integer, got "5"',
    ],
    ['basePath as a number', { basePath: 5 }, 'option "basePath" must look like "/qrlogin" (no trailing slash), got 5'],
    ['endSession as a string', { endSession: 'yes' }, 'option "endSession" must be a function, got "yes"'],
    [
      'logins without end',
      { logins: { add() {}, get() {}, listByUser() {} } },
      'option "logins" must be a LoginLedger (missing end)',
    ],
    [
      'reportLockSeconds: -1',
      { reportLockSeconds: -1 },
      'option "reportLockSeconds" must be a positive number, got -1',
    ],
    [
      'reportWindowSeconds as a string',
      { reportWindowSeconds: '60' },
      'option "reportWindowSeconds" must be a positive number, got "60"',
    ],
    [
      'loginRetentionSeconds: 0',
      { loginRetentionSeconds: 0 },
      'option "loginRetentionSeconds" must be a positive number, got 0',
    ],
  ])('%s', (_name, options, message) => {
    expect(refusal(options)).toContain(message);
  });

  it('an origin that is not canonical, quoted', () => {
    expect(refusal({ origin: 'https://Example.com/' })).toContain('got "https://Example.com/"');
  });
});

describe('resolveOptions accepts', () => {
  it('every documented option with a valid value, and leaves the caller’s object alone', () => {
    const options: QrLoginOptions = {
      origin: ORIGIN,
      basePath: '',
      allowedOrigins: [ORIGIN, 'http://localhost:5173'],
      numberMatching: true,
      proximity: 'deny',
      scanConflict: 'cancel',
      sessionTtlSeconds: 0.5,
      clockSkewSeconds: 30,
      trustProxy: 2,
      rateLimits: { poll: { limit: 1, windowSeconds: 0.5 } },
      socket: { authTimeoutSeconds: 0.5, maxPerIp: 3 },
      longPollSeconds: 1,
      maxBodyBytes: 100,
      authenticate: () => null,
      now: () => 0,
    };
    const copy = structuredClone({ ...options, authenticate: undefined, now: undefined });
    const resolved = resolveOptions(options);
    expect(resolved.numberMatching).toBe(true);
    expect(resolved.socket.maxPerIp).toBe(3);
    expect(resolved.rateLimits ? resolved.rateLimits.poll : null).toEqual({ limit: 1, windowSeconds: 0.5 });
    expect({ ...options, authenticate: undefined, now: undefined }).toEqual(copy);
  });
});
