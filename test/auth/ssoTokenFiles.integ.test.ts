import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { findSsoCacheIds } from '../../src/auth/sso/findSsoCacheIds';
import { readSsoToken } from '../../src/auth/sso/readSsoToken';
import type { SsoToken } from '../../src/auth/sso/types';
import { writeSsoToken } from '../../src/auth/sso/writeSsoToken';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-sso-files-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const EXPIRES = Date.UTC(2026, 10, 21, 14, 0, 0);

describe('readSsoToken', () => {
  it.each([
    ['the CLI format', '{"startUrl":"https://a.awsapps.com/start","region":"us-east-1","accessToken":"t","expiresAt":"2026-11-21T14:00:00Z"}', EXPIRES],
    ['the SDK format (milliseconds)', '{"accessToken":"t","expiresAt":"2026-11-21T14:00:00.000Z"}', EXPIRES],
    ['early CLI v2 ("UTC" suffix)', '{"accessToken":"t","expiresAt":"2026-11-21T14:00:00UTC"}', EXPIRES],
    ['an offset', '{"accessToken":"t","expiresAt":"2026-11-21T15:00:00+01:00"}', EXPIRES],
  ])('reads %s', async (_what, text, expiresAtMs) => {
    fs.writeFileSync(path.join(dir, 'token.json'), text);
    expect((await readSsoToken(path.join(dir, 'token.json')))?.expiresAtMs).toBe(expiresAtMs);
  });

  it.each([
    ['a missing file', undefined],
    ['a truncated file', '{"accessToken":"t","expi'],
    ['no access token', '{"expiresAt":"2026-11-21T14:00:00Z"}'],
    ['an unparsable expiry', '{"accessToken":"t","expiresAt":"soon"}'],
    ['a JSON array', '[]'],
  ])('treats %s as no token', async (_what, text) => {
    if (text !== undefined) fs.writeFileSync(path.join(dir, 'token.json'), text);
    expect(await readSsoToken(path.join(dir, 'token.json'))).toBeUndefined();
  });

  // A blocking read of a named pipe never returned: the whole call hung.
  it('treats a named pipe as no token, at once', async () => {
    const fifo = path.join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    // The guard is cleared once the race is decided: left running, it held jest open for up to
    // 5 s after the last test ("Jest did not exit one second after the test run has completed").
    let guard: NodeJS.Timeout | undefined;
    const stillReading = new Promise((resolve) => {
      guard = setTimeout(resolve, 5_000, 'still reading');
    });
    try {
      expect(await Promise.race([readSsoToken(fifo), stillReading])).toBeUndefined();
    } finally {
      clearTimeout(guard);
    }
  });
});

describe('writeSsoToken', () => {
  it('round-trips every field through the CLI format, 0600, creating the directory 0700', async () => {
    const token: SsoToken = {
      startUrl: 'https://a.awsapps.com/start',
      region: 'us-east-1',
      accessToken: 'access',
      expiresAtMs: EXPIRES,
      clientId: 'cid',
      clientSecret: 'secret',
      registrationExpiresAtMs: EXPIRES + 86400e3,
      refreshToken: 'refresh',
    };
    const file = path.join(dir, 'sso', 'cache', 'x.json');

    await writeSsoToken(file, token);

    expect(await readSsoToken(file)).toEqual(token);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ expiresAt: '2026-11-21T14:00:00Z', registrationExpiresAt: '2026-11-22T14:00:00Z' });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['x.json']);
  });

  it('replaces a symlink at the target instead of writing through it', async () => {
    const elsewhere = path.join(dir, 'elsewhere.json');
    fs.writeFileSync(elsewhere, 'untouched');
    fs.symlinkSync(elsewhere, path.join(dir, 'x.json'));

    await writeSsoToken(path.join(dir, 'x.json'), {
      startUrl: undefined, region: undefined, accessToken: 'a', expiresAtMs: EXPIRES,
      clientId: undefined, clientSecret: undefined, registrationExpiresAtMs: undefined, refreshToken: undefined,
    });

    expect(fs.readFileSync(elsewhere, 'utf8')).toBe('untouched');
    expect(fs.lstatSync(path.join(dir, 'x.json')).isSymbolicLink()).toBe(false);
  });
});

describe('findSsoCacheIds', () => {
  const START = 'https://acme.awsapps.com/start';
  it.each([
    ['no config file', undefined, [START]],
    [
      'an sso-session for the portal, written with a trailing "/#/"',
      `[sso-session acme]\nsso_start_url = ${START}/#/\nsso_region = us-east-1\n`,
      ['acme', START],
    ],
    [
      'a legacy profile spelling the start URL differently',
      `[profile dev]\nsso_start_url = ${START}/\nsso_region = us-east-1\n`,
      [START, `${START}/`],
    ],
    [
      'sessions for other portals',
      `# comment\n[sso-session other]\nsso_start_url = https://other.awsapps.com/start\n[sso-session  acme ]\n  sso_start_url=${START}\n`,
      ['acme', START],
    ],
  ])('with %s', async (_what, config, expected) => {
    if (config !== undefined) fs.writeFileSync(path.join(dir, 'config'), config);
    const env = { AWS_CONFIG_FILE: path.join(dir, 'config') };
    expect(await findSsoCacheIds({ startUrl: START, env, homeDir: dir })).toEqual(expected);
  });

  it('reads ~/.aws/config when AWS_CONFIG_FILE is not set, and expands "~/" in it', async () => {
    fs.mkdirSync(path.join(dir, '.aws'));
    fs.writeFileSync(path.join(dir, '.aws', 'config'), `[sso-session a]\nsso_start_url = ${START}\n`);
    fs.writeFileSync(path.join(dir, 'other'), `[sso-session b]\nsso_start_url = ${START}\n`);
    expect(await findSsoCacheIds({ startUrl: START, env: {}, homeDir: dir })).toEqual(['a', START]);
    expect(await findSsoCacheIds({ startUrl: START, env: { AWS_CONFIG_FILE: '~/other' }, homeDir: dir })).toEqual(['b', START]);
  });
});
