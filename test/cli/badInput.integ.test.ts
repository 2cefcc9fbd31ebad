import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { cacheId } from '../../src/cache/cacheId';
import { escapeRegExp, expectNoBug, mapping, repoWith } from './fixtures/badInput';
import { makeSandbox, ROLEMAP_BIN, runRolemap, type RolemapRun, type Sandbox } from './runRolemap';

/**
 * Bad input through the built binary (issue 8, items 7 to 13): every case ends quickly with the
 * documented exit code and a message that says what is wrong, never a hang, a crash or a
 * "this is a bug in rolemap".
 */

/** Every case here must end well within this; the bugs they guard against hung for minutes. */
const QUICK_MS = 15_000;

const ENV_KEYS = { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

let sandbox: Sandbox;
beforeAll(() => {
  sandbox = makeSandbox();
});
afterAll(() => sandbox.cleanup());

async function run(args: string[], cwd: string, env: Record<string, string | undefined>): Promise<RolemapRun> {
  return runRolemap(args, { cwd, env: { ...sandbox.env, ...env }, timeoutMs: QUICK_MS });
}

/** A server on 127.0.0.1 standing in for STS; counts the requests it gets. */
async function fakeEndpoint(answer: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; requests: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    count += 1;
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

describe('item 7: blocking files are refused, not read forever', () => {
  it('a named pipe as a file: token', async () => {
    const fifo = path.join(sandbox.home, 'token.fifo');
    mkfifo(fifo);
    const { unitDir } = repoWith(sandbox.home, mapping('web-identity', `    web_identity:\n      token: "file:${fifo}"`));
    const result = await run([], unitDir, { ROLEMAP_NO_CACHE: '1', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' });
    expectNoBug(result);
    expect([result.code, result.stdout]).toStrictEqual([1, '']);
    expect(result.stderr).toContain(`${fifo} is a named pipe (FIFO), not a regular file`);
  });

  it('/dev/zero as AWS_WEB_IDENTITY_TOKEN_FILE', async () => {
    const { unitDir } = repoWith(sandbox.home, mapping('web-identity'));
    const result = await run([], unitDir, { ROLEMAP_NO_CACHE: '1', AWS_WEB_IDENTITY_TOKEN_FILE: '/dev/zero', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' });
    expectNoBug(result);
    expect([result.code, result.stdout]).toStrictEqual([1, '']);
    expect(result.stderr).toContain('/dev/zero is a character device, not a regular file');
  });

  it.each(['AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'])('a named pipe as %s, even with environment keys and no cache', async (variable) => {
    const fifo = path.join(fs.mkdtempSync(path.join(sandbox.home, 'aws-')), 'file.fifo');
    mkfifo(fifo);
    const { unitDir } = repoWith(sandbox.home, mapping('assume'));
    const result = await run([], unitDir, { ...ENV_KEYS, ROLEMAP_NO_CACHE: '1', [variable]: fifo, AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' });
    expectNoBug(result);
    expect([result.code, result.stdout]).toStrictEqual([1, '']);
    expect(result.stderr).toContain(`Cannot use the AWS shared config: ${fifo} is a named pipe (FIFO), not a regular file`);
    expect(result.stderr).toContain(variable);
  });

  it('a named pipe as the mapping file given by --config', async () => {
    const { unitDir, repo } = repoWith(sandbox.home, mapping('delegate'));
    const fifo = path.join(repo, 'pipe.yaml');
    mkfifo(fifo);
    const result = await run(['credentials', '--config', fifo], unitDir, {});
    expectNoBug(result);
    expect([result.code, result.stdout]).toStrictEqual([2, '']);
    expect(result.stderr).toContain(`${fifo} is a named pipe (FIFO), not a regular file`);
  });
});

describe('item 8: sizes are bounded', () => {


  it('an STS answer of 2 MiB: exit 1 saying so, not an aborted process', async () => {
    const sts = await fakeEndpoint((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/xml' });
      // Chunked, with no Content-Length: only counting the bytes catches it.
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      for (let i = 0; i < 32; i += 1) res.write(chunk);
      res.end();
    });
    try {
      const { unitDir } = repoWith(sandbox.home, mapping('assume'));
      const result = await run([], unitDir, { ...ENV_KEYS, ROLEMAP_NO_CACHE: '1', AWS_ENDPOINT_URL_STS: sts.url });
      expectNoBug(result);
      expect([result.code, result.stdout]).toStrictEqual([1, '']);
      expect(result.stderr).toContain('the answer (HTTP 200) is larger than rolemap reads');
    } finally {
      await sts.close();
    }
  });
});

describe('item 9: crashes become clear errors', () => {

  it('values nested 5,000 levels deep: exit 2 at file:line:column, in words', async () => {
    const { unitDir, mappingFile } = repoWith(sandbox.home, `${mapping('delegate')}\n  - paths: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
    const result = await run([], unitDir, {});
    expectNoBug(result);
    expect([result.code, result.stdout]).toStrictEqual([2, '']);
    expect(result.stderr).toMatch(new RegExp(`${escapeRegExp(mappingFile)}:\\d+:\\d+: values are nested more than 64 levels deep`));
    expect(result.stderr).not.toContain('Maximum call stack');
  });

  it('a working directory deleted under it: exit 2, said in words', async () => {
    const { unitDir } = repoWith(sandbox.home, mapping('delegate'));
    // A child started in the directory, which is removed before rolemap asks where it is.
    const result = await new Promise<RolemapRun>((resolve, reject) => {
      const child = spawn('/bin/sh', ['-c', `rmdir "${unitDir}" && exec "${process.execPath}" "${ROLEMAP_BIN}"`], {
        cwd: unitDir,
        env: { ...sandbox.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    expectNoBug(result);
    expect([result.code, result.stdout]).toStrictEqual([2, '']);
    expect(result.stderr).toContain('The current directory no longer exists');
  });

  it('a unit directory rolemap may not search: exit 2 with permission denied', async () => {
    const { unitDir } = repoWith(sandbox.home, mapping('delegate'));
    fs.chmodSync(path.dirname(path.dirname(unitDir)), 0o755);
    fs.chmodSync(path.dirname(unitDir), 0o755);
    fs.chmodSync(unitDir, 0o000);
    // root may read anything; run as nobody then, which is what a user without access meets.
    const asUser = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    try {
      const result = await new Promise<RolemapRun>((resolve, reject) => {
        const [command = process.execPath, ...rest] = [...asUser, process.execPath, ROLEMAP_BIN];
        const child = spawn(command, rest, {
          cwd: unitDir,
          env: { ...sandbox.env, HOME: '/nonexistent', ROLEMAP_NO_CACHE: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
      expectNoBug(result);
      expect([result.code, result.stdout]).toStrictEqual([2, '']);
      expect(result.stderr).toContain(`Cannot look for rolemap.yaml in ${unitDir}: permission denied (EACCES).`);
    } finally {
      fs.chmodSync(unitDir, 0o755);
    }
  });
});

describe('item 10: only answers AWS gave about the role are remembered', () => {
  it('an HTML 403 from a proxy is said as such and not replayed to the next call', async () => {
    const sts = await fakeEndpoint((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/html' });
      res.end('<html><body>Blocked by proxy</body></html>');
    });
    try {
      const { unitDir } = repoWith(sandbox.home, mapping('assume'));
      const env = { ...ENV_KEYS, AWS_ENDPOINT_URL_STS: sts.url };
      const first = await run([], unitDir, env);
      expectNoBug(first);
      expect([first.code, first.stdout]).toStrictEqual([1, '']);
      expect(first.stderr).toContain('an answer that is not from STS: HTTP 403 (text/html)');
      expect(first.stderr).not.toContain('trust policy');
      expect(first.stderr).not.toContain('Deserialization');
      const asked = sts.requests();
      const second = await run([], unitDir, env);
      expect(second.code).toBe(1);
      expect(second.stderr).not.toContain('remembered');
      expect(sts.requests()).toBeGreaterThan(asked);
    } finally {
      await sts.close();
    }
  });

  it('a reset connection says so, not "TimeoutError (socket hang up)"', async () => {
    const sts = await fakeEndpoint((req) => req.socket.destroy());
    try {
      const { unitDir } = repoWith(sandbox.home, mapping('assume'));
      const result = await run([], unitDir, { ...ENV_KEYS, ROLEMAP_NO_CACHE: '1', AWS_ENDPOINT_URL_STS: sts.url });
      expectNoBug(result);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('the connection was reset (ECONNRESET)');
      expect(result.stderr).not.toContain('socket hang up');
    } finally {
      await sts.close();
    }
  });
});

describe('item 11: a relative HOME is refused', () => {
  it('exit 2, and nothing is written inside the unit directory', async () => {
    const { unitDir } = repoWith(sandbox.home, mapping('delegate'));
    const result = await run([], unitDir, { HOME: 'relhome', ROLEMAP_CACHE_DIR: undefined, XDG_CACHE_HOME: undefined });
    expectNoBug(result);
    expect([result.code, result.stdout]).toStrictEqual([2, '']);
    expect(result.stderr).toContain('HOME is "relhome", which is not an absolute path');
    expect(fs.readdirSync(unitDir)).toStrictEqual([]);
  });
});

describe('item 13: messages a user can read', () => {
  it('a newline in ROLEMAP_MODE is shown escaped, on one line', async () => {
    const { unitDir } = repoWith(sandbox.home, mapping('delegate'));
    const result = await run([], unitDir, { ROLEMAP_MODE: 'plan\nrolemap: all good' });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe('rolemap: ROLEMAP_MODE is "plan\\nrolemap: all good", which is not a mode.');
  });

  it('ROLEMAP_USER_CONFIG naming a device says what it is', async () => {
    const { unitDir } = repoWith(sandbox.home, mapping('delegate'));
    const result = await run([], unitDir, { ROLEMAP_USER_CONFIG: '/dev/zero' });
    expectNoBug(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/dev/zero is a character device, not a regular file');
    expect(result.stderr).not.toContain('does not exist');
  });

  it('a cache warning names no minified class', async () => {
    const { unitDir, mappingFile } = repoWith(sandbox.home, mapping('delegate'));
    const cacheDir = fs.mkdtempSync(path.join(sandbox.home, 'cache-'));
    fs.chmodSync(cacheDir, 0o700);
    // A non-empty directory where the compiled mapping goes: it is ignored with a warning (the run goes on).
    fs.mkdirSync(path.join(cacheDir, `compiled-${cacheId(`mapping-index:${mappingFile}`)}.json`, 'in-the-way'), { recursive: true });
    const result = await run([], unitDir, { ROLEMAP_CACHE_DIR: cacheDir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('is not a regular file; rolemap ignores it');
    expect(result.stderr).not.toMatch(/error=[A-Za-z_$]{1,2}:/);
  });
});
