import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../src/errors';
import { cutAtTerragruntCache } from '../../src/locate/cutAtTerragruntCache';
import { findMappingFile } from '../../src/locate/findMappingFile';
import { findUnits } from '../../src/locate/findUnits';
import { unitPathFor } from '../../src/locate/unitPathFor';

describe('cutAtTerragruntCache', () => {
  it.each([
    ['/r/live/dev/vpc', '/r/live/dev/vpc'],
    ['/r/live/dev/vpc/.terragrunt-cache/ab12/cd34/modules/vpc', '/r/live/dev/vpc'],
    ['/r/live/.terragrunt-cache/x/live/.terragrunt-cache/y', '/r/live'],
    ['/r/live/dev/not.terragrunt-cache/vpc', '/r/live/dev/not.terragrunt-cache/vpc'],
  ])('%s -> %s', (input, expected) => {
    expect(cutAtTerragruntCache(input)).toBe(expected);
  });
});

describe('unitPathFor and findMappingFile on disk', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-unit-')));
    fs.mkdirSync(path.join(root, 'repo/live/dev/vpc/.terragrunt-cache/h1/h2/module'), { recursive: true });
    fs.mkdirSync(path.join(root, 'repo/live/prod/db'), { recursive: true });
    fs.writeFileSync(path.join(root, 'repo/rolemap.yaml'), 'version: 1\n');
    fs.writeFileSync(path.join(root, 'repo/live/dev/vpc/terragrunt.hcl'), '');
    fs.writeFileSync(path.join(root, 'repo/live/dev/vpc/.terragrunt-cache/h1/h2/module/terragrunt.hcl'), '');
    fs.writeFileSync(path.join(root, 'repo/live/prod/db/terragrunt.hcl'), '');
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives the path relative to the mapping file, /-separated', () => {
    expect(unitPathFor(path.join(root, 'repo/live/dev/vpc'), path.join(root, 'repo/rolemap.yaml'))).toBe('live/dev/vpc');
  });

  it('cuts a working directory inside .terragrunt-cache back to the unit', () => {
    const inside = path.join(root, 'repo/live/dev/vpc/.terragrunt-cache/h1/h2/module');
    expect(unitPathFor(inside, path.join(root, 'repo/rolemap.yaml'))).toBe('live/dev/vpc');
  });

  it('resolves a symlinked unit directory to where it really is', () => {
    const link = path.join(root, 'shortcut');
    fs.symlinkSync(path.join(root, 'repo/live/prod/db'), link);
    expect(unitPathFor(link, path.join(root, 'repo/rolemap.yaml'))).toBe('live/prod/db');
  });

  it('resolves a symlinked checkout on both sides', () => {
    const checkoutLink = path.join(root, 'checkout');
    fs.symlinkSync(path.join(root, 'repo'), checkoutLink);
    expect(unitPathFor(path.join(checkoutLink, 'live/prod/db'), path.join(root, 'repo/rolemap.yaml'))).toBe('live/prod/db');
  });

  it('gives "." for the mapping file\'s own directory', () => {
    expect(unitPathFor(path.join(root, 'repo'), path.join(root, 'repo/rolemap.yaml'))).toBe('.');
  });

  it('refuses a sibling whose name starts with the mapping file directory\'s name', () => {
    fs.mkdirSync(path.join(root, 'repository/live'), { recursive: true });
    expect(() => unitPathFor(path.join(root, 'repository/live'), path.join(root, 'repo/rolemap.yaml'))).toThrow(ConfigError);
  });

  it('gives the path from / when the mapping file is at the root of the filesystem', () => {
    expect(unitPathFor(root, '/rolemap.yaml')).toBe(root.slice(1));
  });

  it('refuses a unit outside the mapping file directory', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-outside-'));
    try {
      expect(() => unitPathFor(outside, path.join(root, 'repo/rolemap.yaml'))).toThrow(ConfigError);
    } finally {
      fs.rmSync(outside, { recursive: true });
    }
  });

  it('finds rolemap.yaml walking up from the unit, and --config before ROLEMAP_CONFIG', () => {
    const unit = path.join(root, 'repo/live/dev/vpc');
    const other = path.join(root, 'other.yaml');
    fs.writeFileSync(other, 'version: 1\n');
    expect(findMappingFile(unit, undefined, undefined)).toStrictEqual({ file: path.join(root, 'repo/rolemap.yaml'), source: 'walk-up' });
    expect(findMappingFile(unit, undefined, other)).toStrictEqual({ file: other, source: 'ROLEMAP_CONFIG' });
    expect(findMappingFile(unit, other, '/nonexistent.yaml')).toStrictEqual({ file: other, source: '--config' });
  });

  it('says where it looked when no mapping file exists', () => {
    expect(() => findMappingFile(os.tmpdir(), undefined, undefined)).toThrow(/No rolemap.yaml found/);
  });

  it('finds units and skips .terragrunt-cache', () => {
    expect(findUnits(path.join(root, 'repo'))).toStrictEqual(['live/dev/vpc', 'live/prod/db']);
  });
});
