import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileMappingFile } from '../../src/config/compileMappingFile';
import { testGlob } from '../../src/resolve/testGlob';
import type { CompiledConfig } from '../../src/config/types';

const EXAMPLE = path.join(__dirname, '..', '..', 'mappings.example.yaml');

/** The mappings whose globs match a unit, as (account name, plan role, apply role). */
function matches(config: CompiledConfig, unitPath: string): string[][] {
  return config.mappings
    .filter((mapping) => mapping.globs.some((glob) => testGlob(glob, unitPath)))
    .map((mapping) => [mapping.accountName ?? mapping.accountId, mapping.roles.plan.arn, mapping.roles.apply.arn]);
}

describe('mappings.example.yaml', () => {
  const text = fs.readFileSync(EXAMPLE, 'utf8');

  it('compiles without problems', () => {
    expect(() => compileMappingFile(text, EXAMPLE)).not.toThrow();
  });

  it('points editors at the schema that ships in the repository', () => {
    const firstLine = text.split('\n')[0] ?? '';
    expect(firstLine).toBe('# yaml-language-server: $schema=./schema/rolemap.schema.json');
    expect(fs.existsSync(path.join(path.dirname(EXAMPLE), 'schema', 'rolemap.schema.json'))).toBe(true);
  });

  it.each([
    ['live/sandbox/us-east-1/vpc', [['sandbox', 'arn:aws:iam::100000000001:role/AdministratorAccess', 'arn:aws:iam::100000000001:role/AdministratorAccess']]],
    ['live/dev/us-east-1/vpc', [['dev', 'arn:aws:iam::111111111111:role/terragrunt/terragrunt-dev', 'arn:aws:iam::111111111111:role/terragrunt/terragrunt-dev']]],
    ['live/stage/us-east-1/app', [['stage', 'arn:aws:iam::222222222222:role/terragrunt-plan', 'arn:aws:iam::222222222222:role/terragrunt-apply']]],
    [
      'live/prod/eu-central-1/app',
      [
        ['prod', 'arn:aws:iam::333333333333:role/terragrunt-plan', 'arn:aws:iam::333333333333:role/terragrunt-apply'],
        ['prod', 'arn:aws:iam::333333333333:role/terragrunt-plan', 'arn:aws:iam::333333333333:role/terragrunt-apply'],
      ],
    ],
    ['live/global/dns', [['prod', 'arn:aws:iam::333333333333:role/dns-admin', 'arn:aws:iam::333333333333:role/dns-admin']]],
    ['modules/vpc', []],
  ])('covers %s with the documented account and roles', (unitPath, expected) => {
    expect(matches(compileMappingFile(text, EXAMPLE), unitPath)).toEqual(expected);
  });

  it('gives the European prod mapping more literal segments than the general one', () => {
    const config = compileMappingFile(text, EXAMPLE);
    const specificity = (glob: string): number | undefined =>
      config.mappings.flatMap((mapping) => mapping.globs).find((compiled) => compiled.glob === glob)?.literalSegments;
    expect([specificity('live/prod/**'), specificity('live/prod/eu-central-1/**')]).toEqual([2, 3]);
  });
});
