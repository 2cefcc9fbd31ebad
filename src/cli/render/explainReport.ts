import { SETTINGS } from '../../config/mappingSettings';
import type { ExplainCacheState } from './explainCacheState';
import type { MappingFileLocation } from '../../locate/findMappingFile';
import type { ResolvedUnit } from '../../locate/resolveUnit';
import type { ModeDecision, OverrideDecision, ResolveVerdict } from '../../resolve/types';
import { AMBIGUOUS_FIX, ambiguousText, UNMATCHED, unmatchedFix } from './verdictWords';

interface ReportBase {
  mappingFile: string;
  mappingFileFoundBy: MappingFileLocation['source'];
  unitDir: string;
  unitPath: string;
  mode: ModeDecision;
}

/** Whether an `assume` base profile needs MFA, and the state of its session. No secret. */
export interface ReportMfaSession {
  profile: string;
  mfaSerial: string;
  /** `in-use`: a call uses it as its base; otherwise a call fails and says to run `login`. */
  session: 'in-use' | 'expired' | 'none';
  /** ISO 8601 expiry of the session, when there is one. */
  expiration: string | null;
  /** The command that gets a session. */
  login: string;
}

/** A mapping that matched the unit, with the specificity of its best matching glob. */
export interface ReportCandidate {
  /** 1-based number of the mapping in `mappings`. */
  mapping: number;
  /** file:line of the mapping. */
  at: string;
  glob: string;
  specificity: number;
}

export interface ReportOverride {
  status: OverrideDecision['status'];
  at: string;
  changes?: { role?: string; auth?: string };
  why: string;
}

/**
 * Everything `explain` says, as one JSON-able object (the shape `explain --json` prints). It
 * holds no secret: not even the external id, only whether one is set.
 */
export type ExplainReport =
  | (ReportBase & {
      status: 'unmatched';
      nearest: Array<{ glob: string; at: string }>;
      outcome: string;
    })
  | (ReportBase & { status: 'ambiguous'; candidates: ReportCandidate[] })
  | (ReportBase & {
      status: 'matched';
      candidates: Array<ReportCandidate & { winner: boolean }>;
      winner: { mapping: number; at: string; why: string };
      account: { id: string; name: string | null };
      roleArn: string;
      sessionName: string;
      durationSeconds: number;
      region: string | null;
      auth: { kind: string; why: string };
      /** For `auth: sso`: the IAM Identity Center portal, and its name under `sso_sessions` when it has one. */
      portal?: { startUrl: string; region: string; session: string | null };
      sourceIdentity: string | null;
      externalIdSet: boolean;
      tags: Array<{ Key: string; Value: string }>;
      userConfig: string | null;
      overrides: ReportOverride[];
      /** Who asks AWS, for the kinds that ask (absent for delegate). */
      base?: ReportBaseIdentity;
      /** The way to AWS, when HTTPS_PROXY or a CA bundle changes it (absent for delegate, and when neither does). */
      network?: ReportNetwork;
      cache: ExplainCacheState;
    });

/** The base identity a credentials call would ask AWS as. No secret. */
export interface ReportBaseIdentity {
  /** For `assume`: where the base credentials come from, and why that source won (the AWS CLI's order). */
  source: string | null;
  /** The non-secret descriptor in the cache key, e.g. `env:AKIA...`, `profile:dev`. */
  identity: string;
  /** For a base profile with mfa_serial: its MFA session from `rolemap login --mfa`. */
  mfa?: ReportMfaSession;
}

/**
 * The way AWS calls (and the GitHub Actions token request) take, as a call would build it from
 * HTTPS_PROXY, NO_PROXY and the CA bundle. The proxy by host and port only: its URL may hold a
 * password. `problem` says why a call would fail with a usage error instead.
 */
export type ReportNetwork =
  | {
      /** host:port of HTTPS_PROXY's proxy; null for direct. */
      proxy: string | null;
      noProxy: string[];
      /** The PEM file whose certificates alone are trusted, and the setting that named it; null for Node's roots. */
      caBundle: { path: string; from: string } | null;
    }
  | { problem: string };

/**
 * A projection of the same resolution the credentials command uses, so the two can never
 * disagree about a unit.
 */
export function explainReport(resolved: ResolvedUnit<ResolveVerdict>, cache: ExplainCacheState, baseIdentity?: ReportBaseIdentity, network?: ReportNetwork): ExplainReport {
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
    durationSeconds: request.settings.durationSeconds,
    region: request.settings.region ?? null,
    auth: { kind: request.auth, why: request.authWhy },
    ...(request.auth === 'sso'
      ? { portal: { startUrl: request.sso.startUrl, region: request.sso.region, session: request.sso.session ?? null } }
      : {}),
    sourceIdentity: request.sourceIdentity ?? null,
    externalIdSet: request.settings.externalId !== undefined,
    tags: request.tags.map((t) => ({ Key: t.Key, Value: t.Value })),
    userConfig: request.userConfigFile ?? null,
    overrides: request.overrides.map((o) => ({
      status: o.status,
      at: `${o.position.file}:${o.position.line}`,
      ...(o.status === 'applied' ? { changes: o.changes } : {}),
      why: o.why,
    })),
    ...(baseIdentity === undefined ? {} : { base: baseIdentity }),
    ...(network === undefined ? {} : { network }),
    cache,
  };
}

/** Width of the label column of the text report. */
const LABEL_WIDTH = 16;

const FOUND_BY: Readonly<Record<MappingFileLocation['source'], string>> = {
  'walk-up': 'found walking up from the unit',
  '--config': 'given by --config',
  ROLEMAP_CONFIG: 'given by ROLEMAP_CONFIG',
};

/**
 * The report as a human reads it: one labelled line per fact, continuation lines indented under
 * the value, ending in a newline.
 * @example
 * mapping file    /src/live/rolemap.yaml  (found walking up from the unit)
 * unit            prod/us-east-1/app  (dir /src/live/prod/us-east-1/app)
 * candidates      #3 prod/**  specificity 1  at /src/live/rolemap.yaml:39  <- winner: the only mapping whose glob prod/** matches
 */
export function explainText(report: ExplainReport): string {
  const lines: string[] = [];
  const add = (label: string, ...values: string[]): void => {
    values.forEach((value, i) => lines.push(`${(i === 0 ? label : '').padEnd(LABEL_WIDTH)}${value}`.trimEnd()));
  };
  add('mapping file', `${report.mappingFile}  (${FOUND_BY[report.mappingFileFoundBy]})`);
  add('unit', `${report.unitPath}  (dir ${report.unitDir})`);

  if (report.status === 'unmatched') {
    add('result', `${UNMATCHED.toUpperCase()} this unit`);
    add('nearest globs', ...(report.nearest.length === 0 ? ['none (the file has no mappings)'] : columns(report.nearest.map((n) => [n.glob, `at ${n.at}`]))));
    add('mode', ...modeLines(report.mode));
    add('outcome', report.outcome, unmatchedFix(false));
    return `${lines.join('\n')}\n`;
  }
  if (report.status === 'ambiguous') {
    add('result', `AMBIGUOUS: ${ambiguousText(report.candidates.map((c) => `#${c.mapping}`))}`);
    add('candidates', ...columns(report.candidates.map((c) => [`#${c.mapping} ${c.glob}`, `specificity ${c.specificity}`, `at ${c.at}`])));
    add('mode', ...modeLines(report.mode));
    add('outcome', 'error (exit 2)', AMBIGUOUS_FIX);
    return `${lines.join('\n')}\n`;
  }

  add(
    'candidates',
    ...columns(report.candidates.map((c) => [`#${c.mapping} ${c.glob}`, `specificity ${c.specificity}`, `at ${c.at}`])).map((line, i) =>
      report.candidates[i]?.winner === true ? `${line}  <- winner: ${report.winner.why}` : line,
    ),
  );
  add('mode', ...modeLines(report.mode));
  add('account', `${report.account.id}${report.account.name === null ? '' : ` (${report.account.name})`}`);
  add('role', report.roleArn);
  // The settings' labels are declared with them (config/mappingSettings.ts).
  add(
    SETTINGS.sessionNameTemplate.label,
    `${report.sessionName}   ${SETTINGS.durationSeconds.label} ${report.durationSeconds}s   ${SETTINGS.region.label} ${report.region ?? '(the AWS SDK default)'}`,
  );
  if (report.sourceIdentity !== null) add(SETTINGS.sourceIdentityTemplate.label, report.sourceIdentity);
  if (report.externalIdSet) add(SETTINGS.externalId.label, 'set (not shown)');
  if (report.tags.length > 0) add(SETTINGS.tagTemplates.label, report.tags.map((t) => `${t.Key}=${t.Value}`).join(', '));
  add(SETTINGS.auth.label, `${report.auth.kind}  (${report.auth.why})`);
  if (report.portal !== undefined) {
    const named = report.portal.session === null ? '' : `sso session ${report.portal.session}, `;
    add('portal', `${report.portal.startUrl}  (${named}region ${report.portal.region})`);
  }
  if (report.base !== undefined) {
    const { source, identity, mfa } = report.base;
    add('base', ...(source === null ? [] : [source]), `identity ${identity}`, ...(mfa === undefined ? [] : [mfaText(mfa)]));
  }
  if (report.network !== undefined) add('network', ...networkLines(report.network));
  add('your config', report.userConfig ?? 'none read');
  add('overrides', ...(report.overrides.length === 0 ? ['none'] : report.overrides.map(overrideText)));
  add('cache', cacheText(report.cache));
  return `${lines.join('\n')}\n`;
}

/** The mode and why; in CI also which system was recognised and by which variables. */
function modeLines(mode: ModeDecision): string[] {
  const lines = [`${mode.mode}  (${mode.why})`];
  if (mode.ci !== undefined) {
    const read = mode.ci.readFrom.length === 0 ? 'nothing that decides' : mode.ci.readFrom.join(' ');
    lines.push(`CI ${mode.ci.system}, recognised by ${mode.ci.recognisedBy.join(' ')}; read ${read}`);
  }
  return lines;
}

function networkLines(network: ReportNetwork): string[] {
  if ('problem' in network) return [`${network.problem} A call that asks AWS fails (exit 2).`];
  const except = network.noProxy.length === 0 ? '' : `, except NO_PROXY's ${network.noProxy.join(', ')}`;
  return [
    network.proxy === null ? 'direct (no HTTPS_PROXY)' : `through the proxy ${network.proxy} (HTTPS_PROXY)${except}`,
    network.caBundle === null ? "trusting Node's root certificates" : `trusting only the certificates in ${network.caBundle.path} (${network.caBundle.from})`,
  ];
}

function overrideText(override: ReportOverride): string {
  const changes = Object.entries(override.changes ?? {})
    .map(([key, value]) => `${key} -> ${value}`)
    .join(', ');
  return `${override.status.padEnd(8)} ${override.at}${changes === '' ? '' : `  ${changes}`}  (${override.why})`;
}

function mfaText(mfa: ReportMfaSession): string {
  const device = `MFA session of profile ${mfa.profile} (${mfa.mfaSerial}): `;
  switch (mfa.session) {
    case 'in-use':
      return `${device}in use, expires ${mfa.expiration ?? '(unknown)'}`;
    case 'expired':
      return `${device}expired at ${mfa.expiration ?? '(unknown)'}; a call fails until you run \`${mfa.login}\``;
    case 'none':
      return `${device}none; a call fails until you run \`${mfa.login}\``;
  }
}

function cacheText(cache: ExplainCacheState): string {
  switch (cache.status) {
    case 'hit':
      return `hit, ${cache.expiresInSeconds}s left`;
    case 'expiring':
      return `expiring, ${cache.expiresInSeconds}s left, under min_ttl: the next call obtains a fresh credential`;
    case 'expired':
      return `expired at ${cache.expiration}: the next call obtains a fresh credential`;
    case 'miss':
      return 'miss: the next call obtains a credential';
    case 'remembered-failure':
      return `a recent failure is remembered, so the next call fails fast: ${cache.message}`;
    case 'disabled':
      return `off (${cache.why})`;
    case 'not-applicable':
      return 'not used (auth: delegate; Terragrunt assumes the role itself)';
  }
}

/** Rows of cells, each cell padded to its column's widest, joined by two spaces. */
function columns(rows: ReadonlyArray<readonly string[]>): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}
