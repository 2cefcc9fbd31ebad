/** The AWS CLI's token-file time format: UTC, whole seconds, "2026-11-21T14:00:00Z". */
export function formatSsoTimestamp(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
