import type { Environment } from '../resolve/types';

/**
 * The STS endpoint override in `env`, read as the AWS SDK reads it from process.env:
 * AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL, none when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is
 * true. For clients that must follow rolemap's `env` rather than the process's. Undefined means
 * the SDK's regional default.
 */
export function resolveStsEndpoint(env: Environment): string | undefined {
  if ((env['AWS_IGNORE_CONFIGURED_ENDPOINT_URLS'] ?? '').toLowerCase() === 'true') return undefined;
  for (const value of [env['AWS_ENDPOINT_URL_STS'], env['AWS_ENDPOINT_URL']]) {
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}
