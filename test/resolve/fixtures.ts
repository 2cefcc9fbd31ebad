import { compileMappingFile } from '../../src/config/compileMappingFile';
import { compileUserConfig } from '../../src/config/compileUserConfig';
import type { CompiledConfig, CompiledUserConfig } from '../../src/config/types';
import { detectCi } from '../../src/resolve/detectCi';
import { resolveRequest } from '../../src/resolve/resolveRequest';
import type { CredentialRequest, Environment, ResolveInput, ResolveResult } from '../../src/resolve/types';

export const MAPPING_FILE = '/repo/rolemap.yaml';
export const USER_CONFIG_FILE = '/home/alice/.config/rolemap/config.yaml';

/** A mapping file with dev/stage/prod accounts; `extra` is appended at the top level. */
export function mappingYaml(mappings: string, extra = ''): string {
  return `version: 1
accounts:
  dev: "111111111111"
  stage: "222222222222"
  prod: "333333333333"
defaults:
  region: us-east-1
${extra}
mappings:
${mappings}`;
}

export function config(yaml: string): CompiledConfig {
  return compileMappingFile(yaml, MAPPING_FILE);
}

export function userConfig(yaml: string): CompiledUserConfig {
  return compileUserConfig(yaml, USER_CONFIG_FILE);
}

export const STANDARD_MAPPINGS = mappingYaml(`
  - paths: ["live/dev/**"]
    account: dev
    role: terragrunt
  - paths: ["live/prod/**"]
    account: prod
    role:
      plan: terragrunt-plan
      apply: terragrunt-apply
`);

export function resolve(partial: Partial<ResolveInput> & { config: CompiledConfig; unitPath: string }): ResolveResult {
  return resolveRequest({ userConfig: undefined, env: {}, ci: detectCi(partial.env ?? {}), modeFlag: undefined, modeFromEnv: undefined, osUser: 'alice', ...partial });
}

/** Resolves and insists on a match, for tests about what a matched request holds. */
export function resolveMatched(
  partial: Partial<ResolveInput> & { config: CompiledConfig; unitPath: string },
): CredentialRequest {
  const result = resolve(partial);
  if (result.status !== 'matched') throw new Error(`expected a match, got ${result.status}`);
  return result.request;
}

/** Resolves and insists on a match with the auth kind `auth`, for tests about what only that kind holds. */
export function resolveMatchedAs<A extends CredentialRequest['auth']>(
  auth: A,
  partial: Partial<ResolveInput> & { config: CompiledConfig; unitPath: string },
): Extract<CredentialRequest, { auth: A }> {
  const request = resolveMatched(partial);
  if (!isAuth(request, auth)) throw new Error(`expected auth ${auth}, got ${request.auth}`);
  return request;
}

function isAuth<A extends CredentialRequest['auth']>(request: CredentialRequest, auth: A): request is Extract<CredentialRequest, { auth: A }> {
  return request.auth === auth;
}

export const GITHUB_ENV: Environment = {
  CI: 'true',
  GITHUB_ACTIONS: 'true',
  GITHUB_ACTOR: 'octocat',
  GITHUB_RUN_ID: '987654',
  GITHUB_REPOSITORY: 'acme/infra',
};
