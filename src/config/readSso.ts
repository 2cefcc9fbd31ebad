import type { SsoSettings } from './types';
import { readRegion } from './readRegion';
import { writeAs, type Field, type YamlReader } from './YamlReader';

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
