import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cacheId } from '../../src/cache/cacheId';
import { VERSION } from '../../src/constants';
import { loadCompiled, type CompiledStore } from '../../src/config/loadCompiled';

describe('loadCompiled and the compiled form version', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rolemap-compiled-format-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('recompiles a form an older build of the same version stored (modes.deployBranch, before deploy_branch lists)', async () => {
    const file = path.join(dir, 'rolemap.yaml');
    const text = 'modes: {deploy_branch: main}\n';
    fs.writeFileSync(file, text);
    // What a build before the compiled form was versioned wrote for this very file.
    const entries = new Map<string, unknown>([
      [cacheId(file), { identity: `${VERSION}:${file}:${text.length}:${cacheId(text)}`, compiled: { modes: { deployBranch: 'main' } } }],
    ]);
    const store: CompiledStore = { read: (id) => entries.get(id), write: (id, value) => void entries.set(id, value) };
    const compile = jest.fn(async () => ({ modes: { deployBranches: [{ kind: 'name', name: 'main' }] } }));
    expect(await loadCompiled({ file, store, compile })).toStrictEqual({ modes: { deployBranches: [{ kind: 'name', name: 'main' }] } });
    expect(compile).toHaveBeenCalledTimes(1);
  });
});
