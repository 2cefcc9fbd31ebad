import { minimatch } from 'minimatch';
import { compileGlob } from '../../src/config/compileGlob';
import { compileMappingFile } from '../../src/config/compileMappingFile';
import { testGlob } from '../../src/resolve/testGlob';
import type { CompiledGlob } from '../../src/config/types';

function compiled(glob: string): CompiledGlob {
  const result = compileGlob(glob);
  if (!result.ok) {
    throw new Error(result.message);
  }
  return { glob, ...result, position: { file: '/repo/rolemap.yaml', line: 1, column: 1 } };
}

/** [glob, unit path, matches] */
const CASES: Array<[string, string, boolean]> = [
  ['live/dev/**', 'live/dev/vpc', true],
  ['live/dev/**', 'live/dev/us-east-1/vpc', true],
  ['live/dev/**', 'live/dev', false], // a trailing /** needs at least one more segment
  ['live/dev/**', 'live/devx/vpc', false],
  ['live/dev/**', 'live/dev/.hidden/vpc', true],
  ['live/dev{,/**}', 'live/dev', true],
  ['live/dev{,/**}', 'live/dev/vpc', true],
  ['live/dev', 'live/dev', true],
  ['live/dev', 'live/dev/vpc', false],
  ['live/*/vpc', 'live/dev/vpc', true],
  ['live/*/vpc', 'live/dev/a/vpc', false],
  ['live/**/vpc', 'live/vpc', true],
  ['live/**/vpc', 'live/dev/us-east-1/vpc', true],
  ['live/**/vpc', 'live/dev/vpc-2', false],
  ['**/vpc', 'vpc', true],
  ['**/vpc', 'live/dev/vpc', true],
  ['**', 'live/dev/vpc', true],
  ['*', 'live', true],
  ['*', 'live/dev', false],
  ['live/{dev,stage}/**', 'live/stage/vpc', true],
  ['live/{dev,stage}/**', 'live/prod/vpc', false],
  ['{live/dev,infra}/**', 'infra/dns', true],
  ['live/env-{1..3}/*', 'live/env-2/vpc', true],
  ['live/env-{1..3}/*', 'live/env-4/vpc', false],
  ['live/d?v/*', 'live/dev/vpc', true],
  ['live/d?v/*', 'live/deev/vpc', false],
  ['live/[ds]*/*', 'live/stage/vpc', true],
  ['live/[!ds]*/*', 'live/stage/vpc', false],
  ['live/[!ds]*/*', 'live/prod/vpc', true],
  ['live/[a-c]x/*', 'live/bx/vpc', true],
  ['live/*-eu/**', 'live/prod-eu/a/b', true],
  ['live/*-eu/**', 'live/prod-us/a/b', false],
  ['live/a.b/x', 'live/a.b/x', true],
  ['live/a.b/x', 'live/aXb/x', false],
  ['live/a+b(c)/x', 'live/a+b(c)/x', true],
  ['live/**/db/**', 'live/dev/db/primary', true],
  ['live/**/db/**', 'live/db', false],
  ['Live/Dev/**', 'live/dev/vpc', false],
];

describe('testGlob', () => {
  it.each(CASES)('%s against %s is %s', (glob, unitPath, expected) => {
    expect(testGlob(compiled(glob), unitPath)).toBe(expected);
  });

  it.each(CASES)('%s against %s agrees with minimatch {dot: true}', (glob, unitPath) => {
    expect(testGlob(compiled(glob), unitPath)).toBe(minimatch(unitPath, glob, { dot: true }));
  });

  // `dir/**` is answered by string tests instead of its regular expression: the two must agree
  // on every path, normalised or not.
  const BELOW_GLOBS = ['live/**', 'live/dev/**', 'a/**', 'my.app+x/(v)/**', 'live/dev ops/**'];
  const PATHS = [
    'live', 'live/', 'live/dev', 'live/dev/', 'live/dev/vpc', 'live/dev//vpc', 'live//dev', 'live/dev/vpc/',
    'live/devx/vpc', 'livex/dev', 'live/.hidden', 'live/dev/.terraform', 'a', 'a/b', 'ab/c', 'a/b/c', '/a/b',
    'my.app+x/(v)/z', 'myXapp+x/(v)/z', 'live/dev ops/vpc', 'live/dev opsx/vpc', 'live/dév/vpc', '',
  ];
  it.each(BELOW_GLOBS.flatMap((glob) => PATHS.map((unitPath): [string, string] => [glob, unitPath])))(
    '%s against %j agrees with its regular expression',
    (glob, unitPath) => {
      const compiledGlob = compiled(glob);
      expect(testGlob(compiledGlob, unitPath)).toBe(new RegExp(compiledGlob.regexSource, compiledGlob.regexFlags).test(unitPath));
    },
  );

  it('matches 5,000 compiled globs from one mapping file correctly', () => {
    const lines = ['version: 1', 'mappings:'];
    for (let i = 0; i < 5000; i++) {
      const glob = i % 2 === 0 ? `live/acct${i}/**` : `live/acct${i}/*/app-{a,b}`;
      lines.push(`  - {paths: ["${glob}"], account: "111111111111", role: r${i}}`);
    }
    const config = compileMappingFile(`${lines.join('\n')}\n`, '/repo/rolemap.yaml');
    const globs = config.mappings.flatMap((mapping) => mapping.globs);
    expect(globs).toHaveLength(5000);
    const matching = (unitPath: string): string[] =>
      globs.filter((glob) => testGlob(glob, unitPath)).map((glob) => glob.glob);
    expect(matching('live/acct4998/us-east-1/vpc')).toEqual(['live/acct4998/**']);
    expect(matching('live/acct4999/eu/app-b')).toEqual(['live/acct4999/*/app-{a,b}']);
    expect(matching('live/acct4999/eu/app-c')).toEqual([]);
    expect(matching('live/acct1/x/app-a')).toEqual(['live/acct1/*/app-{a,b}']);
    expect(matching('other/acct0/x')).toEqual([]);
  });
});

describe('compileGlob', () => {
  it.each([
    ['live/dev/**', 2],
    ['live/dev', 2],
    ['live/*/vpc', 2],
    ['live/{dev,stage}/**', 1],
    ['live/d?v/[ab]/x', 2],
    ['**', 0],
  ])('counts the literal segments of %s as %i', (glob, literalSegments) => {
    expect(compiled(glob).literalSegments).toBe(literalSegments);
  });

  it.each([
    ['', 'an empty glob matches nothing'],
    ['/live/dev/**', 'is absolute'],
    ['live\\dev', 'contains a backslash'],
    ['live/dev/', 'ends with "/"'],
    ['live//dev', 'empty path segment'],
    ['./live/**', 'has a "." segment'],
    ['live/../dev', 'has a ".." segment'],
    ['live/dev/.terragrunt-cache/**', 'reaches into .terragrunt-cache'],
    ['!live/dev/**', 'is a negation'],
    ['#live', 'comment'],
    ['live/+(dev|stage)', 'extglob'],
    ['live/[dev', 'without a closing "]"'],
    ['live/[[:alpha:]]', 'POSIX character class'],
    ['live/{dev}/x', 'not a brace expansion'],
    ['live/{1..1000}/x', 'more than 256 alternatives'],
    ['live/*a*b*c*d*e/x', 'more than 4 "*"'],
    ['live/[z-a]/x', 'invalid character class'],
    ['live/dev{,/}', 'ends with "/"'],
  ])('refuses %j: %s', (glob, messagePart) => {
    const result = compileGlob(glob);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : `${result.message} ${result.hint}`).toContain(messagePart);
  });
});
