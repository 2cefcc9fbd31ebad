import { ConfigError, CredentialsError, RolemapError, type SourcePosition } from '../../errors';

function where(position: SourcePosition | undefined): string {
  return position === undefined ? '' : `${position.file}:${position.line}:${position.column}: `;
}

/** Whether `error` is one of rolemap's own; any other is unexpected, a bug (logged with its stack at debug level). */
export function isExpectedError(error: unknown): error is RolemapError {
  return error instanceof RolemapError;
}

/**
 * The message shown on stderr (and copied by Terragrunt into its own error) for a failure:
 * `rolemap: file:line:col: what is wrong` then `  hint: what to do`. Never holds a secret,
 * because no error rolemap builds holds one.
 */
export function formatError(error: unknown): string {
  if (!isExpectedError(error)) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return `rolemap: unexpected error: ${detail}\n  hint: this is a bug in rolemap; please report it with ROLEMAP_LOG_LEVEL=debug output.\n`;
  }
  const lines: string[] = [];
  if (error instanceof ConfigError) {
    lines.push(`rolemap: ${where(error.position)}${error.message}`);
    if (error.hint) lines.push(`  hint: ${error.hint}`);
    for (const more of error.more) {
      lines.push(`rolemap: ${where(more.position)}${more.message}`);
      if (more.hint) lines.push(`  hint: ${more.hint}`);
    }
  } else {
    lines.push(`rolemap: ${error.message}`);
    if (error instanceof CredentialsError && error.hint === undefined && error.retryable) {
      lines.push('  hint: this may pass if you try again in a moment.');
    }
    if (error.hint) lines.push(`  hint: ${error.hint}`);
  }
  return `${lines.join('\n')}\n`;
}
