import { isScalar } from 'yaml';
import { nearestWord } from './nearestWord';
import type { SsoSettings } from './types';
import { readRegion } from './readRegion';
import type { Field, YamlReader } from './YamlReader';
import { writeAs } from './writeAs';

/** Reads an `sso: {start_url, region}` block; both keys are required. */
export function readSso(reader: YamlReader, field: Field, allowed: readonly string[]): SsoSettings | undefined {
  const keys = reader.keys(field, allowed);
  if (keys === undefined) {
    return undefined;
  }
  const urlField = reader.requireKey(keys, 'start_url', field, 'add `start_url: https://YOUR-ORG.awsapps.com/start`');
  const regionField = reader.requireKey(keys, 'region', field, 'add the IAM Identity Center region, e.g. `region: us-east-1`');
  const startUrl = urlField === undefined ? undefined : readStartUrl(reader, urlField);
  const region = regionField === undefined ? undefined : readRegion(reader, regionField);
  return startUrl === undefined || region === undefined ? undefined : { startUrl, region };
}

function readStartUrl(reader: YamlReader, field: Field): string | undefined {
  const text = reader.string(field, 'https://acme.awsapps.com/start');
  if (text === undefined) {
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.protocol !== 'https:' || url.hostname === '' || url.username !== '' || url.password !== '') {
    reader.report(
      field.at,
      `\`${field.label}\` "${text}" is not an https URL`,
      `write the IAM Identity Center start URL, e.g. ${writeAs(field, 'https://acme.awsapps.com/start')}`,
    );
    return undefined;
  }
  return text;
}

/** The portals under `sso_sessions` by name, and the names whose definition was reported as wrong. */
export interface SsoSessions {
  defined: Record<string, SsoSettings>;
  broken: Set<string>;
}

/** A name under `sso_sessions`: as an AWS config `[sso-session NAME]`, without spaces. */
const SSO_SESSION_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/**
 * Reads `sso_sessions: {NAME: {start_url, region}}`: the named portals mappings refer to. Each
 * portal keeps its name, which `rolemap login --sso-session NAME` takes.
 */
export function readSsoSessions(reader: YamlReader, field: Field | undefined, allowed: readonly string[]): SsoSessions {
  const sessions: SsoSessions = { defined: {}, broken: new Set() };
  for (const entry of field === undefined ? [] : (reader.entries(field) ?? [])) {
    if (!SSO_SESSION_NAME_PATTERN.test(entry.key)) {
      reader.report(entry.keyAt, `SSO session name "${entry.key}" is not valid`, 'name it with letters, digits and "_.-", e.g. `acme:`');
      continue;
    }
    const sso = readSso(reader, entry.field, allowed);
    if (sso === undefined) sessions.broken.add(entry.key);
    else sessions.defined[entry.key] = { ...sso, session: entry.key };
  }
  return sessions;
}

/**
 * Reads an `sso:` that is either a portal written inline (`{start_url, region}`) or the name of
 * one under `sso_sessions`. An unknown name is reported with the names that are defined.
 * `broken` holds names whose own definition was reported already: their uses are not reported again.
 */
export function readSsoRef(
  reader: YamlReader,
  field: Field,
  allowed: readonly string[],
  sessions: SsoSessions,
): SsoSettings | undefined {
  if (!isScalar(field.node)) return readSso(reader, field, allowed);
  const name = reader.string(field, 'acme');
  if (name === undefined || sessions.broken.has(name)) return undefined;
  const found = sessions.defined[name];
  if (found !== undefined) return found;
  const known = Object.keys(sessions.defined);
  const near = nearestWord(name, known);
  reader.report(
    field.at,
    `\`${field.label}\` names the SSO session "${name}", which is not in \`sso_sessions\``,
    known.length === 0
      ? `define it: \`sso_sessions: {${name}: {start_url: https://YOUR-ORG.awsapps.com/start, region: us-east-1}}\`, or write the portal inline: ${writeAs(field, '{start_url: ..., region: ...}')}`
      : `${near === undefined ? '' : `did you mean ${writeAs(field, near)}? `}Defined SSO sessions: ${known.join(', ')}; or add it under \`sso_sessions:\``,
  );
  return undefined;
}
