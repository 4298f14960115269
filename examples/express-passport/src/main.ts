import { start } from './server.js';

const { url, close } = await start(Number(process.env.PORT ?? 3000), process.env.ORIGIN);
console.log(`qrlogin on Express 5 + Passport: ${url} (qrlogin routes under ${url}/qrlogin)`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void close());
