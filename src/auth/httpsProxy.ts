import { UsageError } from '../errors';
import type { Environment } from '../resolve/types';

/** The proxy that calls to https endpoints go through, and the hosts that bypass it. */
export interface HttpsProxy {
  url: URL;
  /** NO_PROXY's entries, lower case: `*`, a host or domain (`.example.com` or `example.com`), either with `:port`. */
  noProxy: readonly string[];
  /** The Proxy-Authorization header of a URL with a user name or password. */
  authorization: string | undefined;
}

function firstSet(env: Environment, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

/**
 * HTTPS_PROXY (or https_proxy, which wins, as in curl and Python) and NO_PROXY (or no_proxy), as
 * the AWS CLI, botocore and the AWS SDK for Go read them; undefined when no proxy is set. Only
 * https endpoints use it: every AWS endpoint is one. The AWS SDK for JavaScript reads neither.
 * A value without a scheme is an http:// proxy, as for curl.
 * @throws UsageError when the variable is no http:// or https:// URL; the message never repeats
 * the value, which may hold a password.
 */
export function readHttpsProxy(env: Environment): HttpsProxy | undefined {
  const value = firstSet(env, ['https_proxy', 'HTTPS_PROXY']);
  if (value === undefined) return undefined;
  const hint = 'Set HTTPS_PROXY to the proxy as a URL, e.g. http://proxy.example.com:3128 (with user:password@ before the host if it asks for them), or unset it.';
  let url: URL;
  try {
    url = new URL(value.includes('://') ? value : `http://${value}`);
  } catch {
    throw new UsageError('HTTPS_PROXY is not a URL.', { hint });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`HTTPS_PROXY names a ${url.protocol.slice(0, -1)} proxy; rolemap goes through http:// and https:// proxies.`, { hint });
  }
  const noProxy = (firstSet(env, ['no_proxy', 'NO_PROXY']) ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
  let authorization: string | undefined;
  if (url.username !== '' || url.password !== '') {
    let pair: string;
    try {
      pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    } catch {
      throw new UsageError("HTTPS_PROXY's user name or password is not percent-encoded properly.", { hint });
    }
    authorization = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
  }
  return { url, noProxy, authorization };
}

/** Splits a NO_PROXY entry into its host and port: `example.com:443`, `[::1]:443`, `::1`. */
function hostAndPort(entry: string): { host: string; port: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed !== null) return { host: bracketed[1] ?? '', port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  const colon = entry.lastIndexOf(':');
  // More than one colon and no brackets: a bare IPv6 address.
  if (colon === -1 || entry.indexOf(':') !== colon) return { host: entry, port: undefined };
  return { host: entry.slice(0, colon), port: Number(entry.slice(colon + 1)) };
}

/**
 * Whether a connection to `host`:`port` goes direct: NO_PROXY is `*`, or names the host, or a
 * domain the host is in (`example.com` and `.example.com` both cover `sts.example.com`), with
 * the same port if it gives one.
 */
export function bypassesProxy(host: string, port: number, noProxy: readonly string[]): boolean {
  const target = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return noProxy.some((entry) => {
    if (entry === '*') return true;
    const { host: name, port: entryPort } = hostAndPort(entry);
    if (entryPort !== undefined && entryPort !== port) return false;
    const domain = name.replace(/^\*?\./, '');
    return domain !== '' && (target === domain || target.endsWith(`.${domain}`));
  });
}
