import { describe, expect, it } from 'vitest';
import { parseUserAgent } from './parse-user-agent.js';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe('parseUserAgent', () => {
  it('names the browser and the operating system', () => {
    expect(parseUserAgent(CHROME)).toEqual({ userAgent: CHROME, browser: 'Chrome 131', os: 'Windows 10' });
  });

  it('answers equal texts with one shared answer, so sessions share one copy of the User-Agent', () => {
    // Two distinct string instances with the same text, as two requests' headers would be.
    const first = parseUserAgent(Buffer.from(CHROME).toString());
    const second = parseUserAgent(Buffer.from(CHROME).toString());
    expect(second).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('leaves what it cannot read empty', () => {
    expect(parseUserAgent('')).toEqual({ userAgent: '', browser: '', os: '' });
    expect(parseUserAgent('curl/8.5.0')).toMatchObject({ userAgent: 'curl/8.5.0', os: '' });
  });
});
