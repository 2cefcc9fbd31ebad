import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compileMappingFile } from '../../src/config/compileMappingFile';
import { ConfigError } from '../../src/errors';
import { runRolemap } from '../cli/runRolemap';

/**
 * Fuzzes the mapping file (issue 8): mutates valid files (byte flips, deleted and repeated lines,
 * aliases, nesting, sizes, encodings) and checks that each one either compiles or is refused with
 * a ConfigError at file:line:column; never another error, never a hang. Most cases run in-process
 * through compileMappingFile; a sample runs through the built binary (`rolemap validate`).
 *
 * Seeded: the seed is printed, and ROLEMAP_FUZZ_SEED=<seed> replays a failing run.
 */

const SEED = Number(process.env['ROLEMAP_FUZZ_SEED'] ?? Date.now() % 2 ** 31);
const IN_PROCESS_CASES = 200;
const BINARY_CASES = 12;
/** A hang guard, not a speed measurement: the bugs this catches took 13 s to forever. */
const CASE_LIMIT_MS = 5_000;

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXAMPLE = fs.readFileSync(path.resolve(__dirname, '../../mappings.example.yaml'), 'utf8');
const SMALL = `version: 1
accounts:
  dev: "111111111111"
  prod: "333333333333"
defaults:
  region: us-east-1
  envs: {TEAM: platform}
mappings:
  - paths: ["live/dev/**", "live/{a,b}/*"]
    account: dev
    role: tg
    auth: delegate
  - paths: ["live/prod/**"]
    account: prod
    role: {plan: tg-plan, apply: tg-apply}
    tags: {Team: "{user}"}
`;

type Mutation = (text: string, next: () => number) => Buffer;

const pick = <T>(items: readonly T[], next: () => number): T => items[Math.floor(next() * items.length)] as T;
const lines = (text: string): string[] => text.split('\n');
const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

const MUTATIONS: ReadonlyArray<[string, Mutation]> = [
  [
    'byte flips',
    (text, next) => {
      const bytes = Buffer.from(text, 'utf8');
      const flips = 1 + Math.floor(next() * 6);
      for (let i = 0; i < flips; i += 1) {
        const at = Math.floor(next() * bytes.length);
        bytes[at] = Math.floor(next() * 256);
      }
      return bytes;
    },
  ],
  [
    'deleted lines',
    (text, next) => {
      const kept = lines(text).filter(() => next() > 0.15);
      return utf8(kept.join('\n'));
    },
  ],
  [
    'repeated lines',
    (text, next) => {
      const all = lines(text);
      const at = Math.floor(next() * all.length);
      const times = 1 + Math.floor(next() * 400);
      all.splice(at, 0, ...Array.from({ length: times }, () => all[at] ?? ''));
      return utf8(all.join('\n'));
    },
  ],
  [
    'aliases',
    (text, next) => {
      const all = lines(text);
      const anchorAt = Math.floor(next() * all.length);
      all[anchorAt] = (all[anchorAt] ?? '').replace(/: (.+)$/, ': &x $1');
      const uses = 1 + Math.floor(next() * 50);
      for (let i = 0; i < uses; i += 1) {
        const at = Math.floor(next() * all.length);
        all[at] = (all[at] ?? '').replace(/: (.+)$/, ': *x');
      }
      // Sometimes a chain of anchors that doubles at each step.
      if (next() < 0.3) {
        const chain = ['defaults:', '  envs: &a0 {A: "1", B: "2"}'];
        for (let i = 1; i < 20; i += 1) chain.push(`  tags: &a${i} [*a${i - 1}, *a${i - 1}]`);
        all.push(...chain);
      }
      return utf8(all.join('\n'));
    },
  ],
  [
    'nesting',
    (text, next) => {
      const depth = pick([10, 63, 65, 200, 1_000, 5_000, 20_000], next);
      const all = lines(text);
      const at = Math.floor(next() * all.length);
      const nested = next() < 0.5 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
      all[at] = `${(all[at] ?? '').replace(/: .*$/, ':')} ${nested}`;
      return utf8(all.join('\n'));
    },
  ],
  [
    'sizes',
    (text, next) => {
      const kind = pick(['long value', 'long glob', 'many mappings', 'long key', 'empty'], next);
      if (kind === 'empty') return Buffer.alloc(0);
      if (kind === 'long value') return utf8(text.replace(/region: \S+/, `region: ${'x'.repeat(200_000)}`));
      if (kind === 'long glob') return utf8(text.replace(/"live\/dev\/\*\*"/, `"${'a/'.repeat(40_000)}**"`));
      if (kind === 'long key') return utf8(`${text}\n${'k'.repeat(100_000)}: 1\n`);
      const entry = ['  - paths: ["many/{i}/**"]', '    account: dev', '    role: tg'].join('\n');
      const count = 1 + Math.floor(next() * 400);
      return utf8(`${text}\n${Array.from({ length: count }, (_, i) => entry.replace('{i}', String(i))).join('\n')}\n`);
    },
  ],
  [
    'encodings',
    (text, next) => {
      const kind = pick(['utf16le', 'utf16le-bom', 'utf8-bom', 'latin1', 'nul', 'crlf', 'cr', 'tabs'], next);
      switch (kind) {
        case 'utf16le':
          return Buffer.from(text, 'utf16le');
        case 'utf16le-bom':
          return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
        case 'utf8-bom':
          return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);
        case 'latin1':
          return Buffer.from(text.replace('platform', 'plätförm').replace('infrastructure', 'ïnfrå'), 'latin1');
        case 'nul':
          return utf8(text.replace(/\n/, '\n\u0000'));
        case 'crlf':
          return utf8(text.replace(/\n/g, '\r\n'));
        case 'cr':
          return utf8(text.replace(/\n/g, '\r'));
        default:
          return utf8(text.replace(/^( +)/gm, (spaces) => '\t'.repeat(spaces.length / 2)));
      }
    },
  ],
];

interface FuzzCase {
  index: number;
  mutation: string;
  bytes: Buffer;
}

function makeCases(count: number, next: () => number, offset: number): FuzzCase[] {
  return Array.from({ length: count }, (_, i) => {
    const [mutation, mutate] = MUTATIONS[(i + offset) % MUTATIONS.length] as [string, Mutation];
    return { index: i + offset, mutation, bytes: mutate(next() < 0.5 ? EXAMPLE : SMALL, next) };
  });
}

/** What a case did: compiled, refused at a position, or something that must not happen. */
function outcome(bytes: Buffer, file: string): 'compiled' | 'refused' | string {
  // The bytes reach the compiler as rolemap's reader decodes them.
  const text = bytes.toString('utf8');
  try {
    const compiled = compileMappingFile(text, file);
    JSON.stringify(compiled);
    return 'compiled';
  } catch (error) {
    if (!(error instanceof ConfigError)) return `not a ConfigError: ${String(error)}`;
    const position = error.position;
    if (position === undefined) return `a ConfigError without a position: ${error.message}`;
    if (position.file !== file || position.line < 1 || position.column < 1) return `a bad position: ${JSON.stringify(position)}`;
    return 'refused';
  }
}

describe('compileMappingFile under fuzzing', () => {
  // eslint-disable-next-line no-console
  beforeAll(() => console.log(`fuzz seed ${SEED} (replay with ROLEMAP_FUZZ_SEED=${SEED})`));

  it(`compiles or refuses at file:line:column each of ${IN_PROCESS_CASES} mutated files, each within ${CASE_LIMIT_MS} ms`, () => {
    const next = random(SEED);
    const failures: string[] = [];
    const seen = { compiled: 0, refused: 0 };
    let slowest = 0;
    let slowestCase = '';
    for (const fuzzCase of makeCases(IN_PROCESS_CASES, next, 0)) {
      const started = performance.now();
      const result = outcome(fuzzCase.bytes, '/repo/rolemap.yaml');
      const took = performance.now() - started;
      if (result === 'compiled' || result === 'refused') seen[result] += 1;
      else failures.push(`seed ${SEED} case ${fuzzCase.index} (${fuzzCase.mutation}): ${result.slice(0, 300)}`);
      if (took > slowest) slowestCase = `${fuzzCase.mutation} #${fuzzCase.index}`;
      slowest = Math.max(slowest, took);
      if (took > CASE_LIMIT_MS) failures.push(`seed ${SEED} case ${fuzzCase.index} (${fuzzCase.mutation}): took ${Math.round(took)} ms`);
    }
    // eslint-disable-next-line no-console
    console.log(`fuzz seed ${SEED}: ${seen.compiled} compiled, ${seen.refused} refused, slowest case ${Math.round(slowest)} ms (${slowestCase})`);
    expect(failures).toStrictEqual([]);
    // Both outcomes occur, or the mutations are not exercising the compiler.
    expect(seen.compiled).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });

  it(`the built binary agrees on ${BINARY_CASES} of them: exit 0, or exit 2 with file:line:column, within the limit`, async () => {
    const next = random(SEED ^ 0x5eed);
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-fuzz-')));
    try {
      const failures: string[] = [];
      for (const fuzzCase of makeCases(BINARY_CASES, next, 0)) {
        const repo = path.join(root, `case-${fuzzCase.index}`);
        fs.mkdirSync(path.join(repo, 'live/dev/a'), { recursive: true });
        const file = path.join(repo, 'rolemap.yaml');
        fs.writeFileSync(file, fuzzCase.bytes);
        const expected = outcome(fuzzCase.bytes, file);
        const run = await runRolemap(['validate', '--config', file], {
          cwd: path.join(repo, 'live/dev/a'),
          env: { PATH: process.env['PATH'], HOME: root, ROLEMAP_NO_CACHE: '1' },
          timeoutMs: CASE_LIMIT_MS * 2,
        });
        const where = `seed ${SEED} binary case ${fuzzCase.index} (${fuzzCase.mutation})`;
        if (expected === 'compiled' && run.code !== 0) failures.push(`${where}: exit ${String(run.code)}, ${run.stderr.slice(0, 300)}`);
        if (expected === 'refused' && (run.code !== 2 || !new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `).test(run.stderr))) {
          failures.push(`${where}: exit ${String(run.code)}, ${run.stderr.slice(0, 300)}`);
        }
        if (run.stderr.includes('this is a bug in rolemap')) failures.push(`${where}: ${run.stderr.slice(0, 300)}`);
      }
      expect(failures).toStrictEqual([]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
