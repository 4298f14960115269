import { start } from './server.js';

// Two instances in one process by default (ports 3001 and 3002); in compose.yaml each container runs one (PORTS=3000).
const ports = (process.env.PORTS ?? '3001,3002').split(',').map(Number);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// Every instance must share the public origin: it is the audience of the phone's signatures.
const origin = process.env.ORIGIN ?? `http://localhost:${ports[0]}`;
const trustProxy = process.env.TRUST_PROXY ? Number(process.env.TRUST_PROXY) : false;

const instances = await Promise.all(ports.map((port) => start(port, { redisUrl, origin, trustProxy })));
for (const { url } of instances)
  console.log(`qrlogin instance on ${url} (origin ${origin}, Redis ${new URL(redisUrl).host})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void Promise.all(instances.map((instance) => instance.close())));
}
