import { defineConfig } from 'vitest/config';

// One vitest project per package plus the cross-package tests in test/. Every project resolves
// workspace packages to their TypeScript sources through the `@qrlogin/source` export condition,
// so tests never run against a stale build.
const resolve = { conditions: ['@qrlogin/source'] };

// expect.poll waits 10 s instead of vitest's 1 s: a poll is a deadline, not a speed claim, and on a
// shared 2-core CI box a WebSocket push, a redeem and a render in Chromium can take longer than 1 s.
const expect = { poll: { timeout: 10_000 } };

const project = (name: string, include: string[], extra: Record<string, unknown> = {}) => ({
  resolve,
  ssr: { resolve: { conditions: ['@qrlogin/source'], externalConditions: ['@qrlogin/source'] } },
  test: { name, include, environment: 'node', testTimeout: 30_000, hookTimeout: 60_000, expect, ...extra },
});

export default defineConfig({
  test: {
    projects: [
      project('protocol', ['packages/protocol/src/**/*.test.ts']),
      project('server', ['packages/server/src/**/*.test.ts', 'packages/server/test/**/*.test.ts']),
      project('redis', ['packages/redis/src/**/*.test.ts', 'packages/redis/test/**/*.test.ts'], {
        // Redis tests share one Redis server; run their files one at a time.
        fileParallelism: false,
      }),
      project('browser', ['packages/browser/src/**/*.test.ts', 'packages/browser/test/**/*.test.ts']),
      project('app', ['packages/app/src/**/*.test.ts', 'packages/app/test/**/*.test.ts']),
      project('better-auth', ['packages/better-auth/src/**/*.test.ts', 'packages/better-auth/test/**/*.test.ts'], {
        // The PostgreSQL tests share one server; the e2e in test/ drives Chromium against this package.
        fileParallelism: false,
      }),
      project('examples', ['examples/**/*.test.ts']),
      project('e2e', ['test/**/*.test.ts'], { fileParallelism: false, testTimeout: 120_000 }),
    ],
  },
});
