import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Variables through which the SDK or rolemap could pick up the developer's or CI's identity. */
const IDENTITY_VARIABLE = /^(AWS_|ACTIONS_ID_TOKEN_|GITHUB_|GITLAB_|ROLEMAP_|CI$)/;

export interface IsolatedEnv {
  /** A fresh temp dir that is also HOME. */
  dir: string;
  /** Puts process.env back as it was and removes the temp dir. */
  restore(): void;
}

/**
 * Empties process.env of AWS and CI identity variables and points HOME, AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE into a temp dir, so the machine's ~/.aws is never read; instance
 * metadata is switched off so a missing credential fails fast. The SDK reads process.env itself,
 * so tests set it here rather than passing an env object.
 */
export function isolateAwsEnv(extra: Record<string, string> = {}): IsolatedEnv {
  const saved = { ...process.env };
  const dir = mkdtempSync(join(tmpdir(), 'rolemap-auth-'));
  for (const name of Object.keys(process.env)) {
    if (IDENTITY_VARIABLE.test(name)) delete process.env[name];
  }
  Object.assign(process.env, {
    HOME: dir,
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  });
  return {
    dir,
    restore() {
      for (const name of Object.keys(process.env)) {
        if (!(name in saved)) delete process.env[name];
      }
      Object.assign(process.env, saved);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
