import * as fs from 'node:fs';
import * as path from 'node:path';
import { VERSION } from '../src/constants';

describe('VERSION', () => {
  it("equals package.json's version, so `rolemap --version` tells the truth", () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../package.json'), 'utf8')) as { version: unknown };
    expect(VERSION).toBe(pkg.version);
  });
});
