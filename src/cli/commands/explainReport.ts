import type { CacheState } from '../../auth/inspectCachedCredentials';
import type { ResolvedUnit } from '../../locate/resolveUnit';

/**
 * Everything `explain` says, as one JSON-able object: a projection of the same resolution the
 * credentials command uses, so the two can never disagree. Holds no secret.
 */
export function explainReport(resolved: ResolvedUnit, cache: CacheState): Record<string, unknown> {
  const { result } = resolved;
  const base = {
    mappingFile: resolved.location.file,
    mappingFileFoundBy: resolved.location.source,
    unitDir: resolved.unitDir,
    unitPath: resolved.unitPath,
    mode: result.status === 'matched' ? result.request.mode : result.mode,
  };
  if (result.status === 'unmatched') {
    return {
      ...base,
      status: 'unmatched',
      nearest: result.nearest.map((g) => ({ glob: g.glob, at: `${g.position.file}:${g.position.line}` })),
      outcome: result.emptyAllowed ? 'unmatched: empty, so rolemap prints {}' : 'error (exit 2)',
    };
  }
  if (result.status === 'ambiguous') {
    return {
      ...base,
      status: 'ambiguous',
      candidates: result.candidates.map((c) => ({
        mapping: c.mapping.index + 1,
        at: `${c.mapping.position.file}:${c.mapping.position.line}`,
        glob: c.glob.glob,
        specificity: c.literalSegments,
      })),
    };
  }
  const { request, candidates } = result;
  return {
    ...base,
    status: 'matched',
    candidates: candidates.map((c) => ({
      mapping: c.mapping.index + 1,
      at: `${c.mapping.position.file}:${c.mapping.position.line}`,
      glob: c.glob.glob,
      specificity: c.literalSegments,
      winner: c.mapping === request.mapping,
    })),
    winner: {
      mapping: request.mapping.index + 1,
      at: `${request.mapping.position.file}:${request.mapping.position.line}`,
      why:
        candidates.length === 1
          ? `the only mapping whose glob ${request.matchedGlob.glob} matches`
          : `its glob ${request.matchedGlob.glob} has the most literal segments (${request.matchedGlob.literalSegments})`,
    },
    account: { id: request.accountId, name: request.accountName ?? null },
    roleArn: request.roleArn,
    sessionName: request.sessionName,
    durationSeconds: request.durationSeconds,
    region: request.region ?? null,
    auth: { kind: request.auth, why: request.authWhy },
    sourceIdentity: request.sourceIdentity ?? null,
    externalIdSet: request.externalId !== undefined,
    tags: request.tags,
    userConfig: request.userConfigFile ?? null,
    overrides: request.overrides.map((o) => ({
      status: o.status,
      at: `${o.position.file}:${o.position.line}`,
      ...(o.status === 'applied' ? { changes: o.changes } : {}),
      why: o.why,
    })),
    cache,
  };
}

/** The report as lines for a human. */
export function explainText(report: Record<string, unknown>): string {
  return `${renderValue(report, '')}\n`;
}

function renderValue(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value.map((item) => `\n${indent}  - ${renderValue(item, `${indent}    `).trimStart()}`).join('');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .map(([key, v]) => {
        const rendered = renderValue(v, `${indent}  `);
        const nested = typeof v === 'object' && v !== null && !Array.isArray(v);
        return `\n${indent}${key}:${nested ? rendered : ` ${rendered}`}`;
      })
      .join('')
      .replace(/^\n/, indent === '' ? '' : '\n');
  }
  return value === null ? '-' : String(value);
}
