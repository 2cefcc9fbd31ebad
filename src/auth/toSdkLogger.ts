import type { Logger } from '../log/logger';

/** The logger shape the AWS SDK and its HTTP handler accept. */
export interface SdkLogger {
  trace: (...content: unknown[]) => void;
  debug: (...content: unknown[]) => void;
  info: (...content: unknown[]) => void;
  warn: (...content: unknown[]) => void;
  error: (...content: unknown[]) => void;
}

function describe(content: unknown[]): string {
  return content.map((part) => (typeof part === 'string' ? part : JSON.stringify(part) ?? String(part))).join(' ');
}

/**
 * Routes the SDK's own chatter (the credential chain's "multiple credential sources" notice, the
 * HTTP handler's socket warnings) to rolemap's logger at debug level instead of console.warn,
 * which would reach Terragrunt's output on every call. Only give it to the credential chain and
 * the request handler: a client's logger would be handed request and response bodies.
 */
export function toSdkLogger(logger: Logger): SdkLogger {
  const write = (...content: unknown[]): void => logger.debug(`aws-sdk: ${describe(content)}`);
  return { trace: write, debug: write, info: write, warn: write, error: write };
}
