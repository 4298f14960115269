/**
 * The server snippets people copy first, README's "Your server in 20 lines" and the getting-started
 * node:http server, are *run*: each in its own Node process on a free port, with the functions the
 * snippet only declares filled in as a host would write them, then sent the requests a stranger
 * can send (no body, garbage JSON, a wrong secret, an unknown session). The server must answer each
 * with a 4xx and keep serving; an unhandled rejection in the snippet would end the process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { extractSnippets } from '../scripts/check-doc-snippets.js';

const ROOT = resolve(import.meta.dirname, '..');
const SERVER_ENTRY = pathToFileURL(join(ROOT, 'packages/server/src/index.ts')).href;
const dir = mkdtempSync(join(tmpdir(), 'readme-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// What the snippets leave to the host, written the way a host would: readJson throws on bad JSON.
const HOST_FUNCTIONS = `
async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return JSON.parse(text || '{}');
}
async function startYourOwnSession(userId) { return 'session-of-' + userId; }
async function startSession(res, userId) { res.setHeader('set-cookie', 'session=' + userId); }
async function userFromAppToken() { return null; }
function yourApp(req, res) { res.writeHead(404).end(); }
server.on('listening', () => console.log('listening ' + server.address().port));
`;

/** The one snippet of `file` that starts a server and redeems. */
function serverSnippet(file: string): string {
  const found = extractSnippets(file, readFileSync(join(ROOT, file), 'utf8')).filter(
    (s) => s.code.includes('server.listen(3000)') && s.code.includes('qr.redeem('),
  );
  expect(found, `${file} has one runnable server snippet`).toHaveLength(1);
  return (found[0] as { code: string }).code;
}

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill();
  child = undefined;
});

/** Runs the snippet in its own process and resolves with its URL once it listens. */
async function run(file: string): Promise<{ url: string; exited: () => number | null }> {
  const source = serverSnippet(file)
    .replaceAll("from '@qrlogin/server'", `from '${SERVER_ENTRY}'`)
    .replace('server.listen(3000)', "server.listen(0, '127.0.0.1')");
  const path = join(dir, `${file.replace(/\W+/g, '-')}.ts`);
  writeFileSync(path, `${source}\n${HOST_FUNCTIONS}`);
  const started = spawn(process.execPath, ['--conditions=@qrlogin/source', '--import', 'tsx', path], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child = started;
  const port = await new Promise<string>((resolvePort, reject) => {
    let out = '';
    started.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const match = /listening (\d+)/.exec(out);
      if (match) resolvePort(match[1] as string);
    });
    started.once('exit', (code) => reject(new Error(`${file}'s server exited with ${code} before listening`)));
  });
  return { url: `http://127.0.0.1:${port}`, exited: () => started.exitCode };
}

async function postLogin(url: string, body: string | undefined) {
  const res = await fetch(`${url}/login/qr`, {
    method: 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, body: (await res.json()) as { error?: { code?: string } } };
}

describe.each(['README.md', 'docs/getting-started.md'])('the server snippet of %s', (file) => {
  it('answers bad logins with 4xx and stays up', async () => {
    const server = await run(file);
    const created = await fetch(`${server.url}/qrlogin/sessions`, { method: 'POST' });
    expect(created.status).toBe(201);
    const { sessionId } = (await created.json()) as { sessionId: string };

    const answers = [
      await postLogin(server.url, undefined),
      await postLogin(server.url, '{"sessionId":'),
      await postLogin(server.url, JSON.stringify({ sessionId, browserSecret: 'x'.repeat(43) })),
      await postLogin(
        server.url,
        JSON.stringify({ sessionId: 'V1StGXR8_Z5jdHi6B-myT0', browserSecret: 'x'.repeat(43) }),
      ),
    ];
    expect(answers.map((a) => [a.status, a.body.error?.code])).toEqual([
      [400, 'INVALID_REQUEST'],
      [400, 'INVALID_REQUEST'],
      [401, 'INVALID_SECRET'],
      [404, 'SESSION_NOT_FOUND'],
    ]);

    expect(server.exited()).toBeNull();
    expect((await fetch(`${server.url}/qrlogin/sessions`, { method: 'POST' })).status).toBe(201);
  });
});
