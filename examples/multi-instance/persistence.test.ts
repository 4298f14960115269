/**
 * The example's Redis keeps registered devices across a restart: started with the arguments of
 * `compose.yaml` (its data directory a temporary one instead of the Docker volume), a device added
 * through `redisDeviceStore` is still there after the server is stopped and started again.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { redisDeviceStore } from '../../packages/redis/src/redis-device-store.js';
import { connectClient } from '../../packages/redis/test/helpers/clients.js';
import { freePort, skipWithoutRedis, spawnRedis } from '../../packages/redis/test/helpers/redis-server.js';
import { deviceRecord } from '../../packages/server/test/conformance/fixtures.js';

/** The `command` of the `redis` service in compose.yaml, without the program name. */
function composeRedisArgs(): string[] {
  const compose = readFileSync(new URL('./compose.yaml', import.meta.url), 'utf8');
  const command = /^\s+command:\s*(\[.*\])\s*$/m.exec(compose)?.[1];
  if (!command) throw new Error('compose.yaml: no command for the redis service');
  const [program, ...args] = JSON.parse(command) as string[];
  expect(program).toBe('redis-server');
  return args;
}

describe.skipIf(skipWithoutRedis)('the multi-instance example’s Redis', () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('keeps a registered device across a restart', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'qrlogin-example-redis-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const port = await freePort();
    // compose.yaml's arguments come last, so they win over the helper's test defaults.
    const args = ['--dir', dir, ...composeRedisArgs()];
    const start = async () => {
      const child = await spawnRedis(port, undefined, args);
      cleanup.push(async () => child.kill('SIGKILL'));
      return child;
    };

    let redis = await start();
    const client = await connectClient(port);
    cleanup.push(async () => client.disconnect());
    const devices = redisDeviceStore({ client });
    const device = deviceRecord({ userId: 'alice', now: Date.now() });
    expect(await devices.add(device)).toBe(true);

    const exited = once(redis, 'exit');
    redis.kill('SIGTERM');
    await exited;
    redis = await start();
    await expect.poll(() => client.status).toBe('ready');

    expect(await devices.get(device.id)).toEqual(device);
  });
});
