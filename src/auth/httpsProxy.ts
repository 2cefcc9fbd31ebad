import * as http from 'node:http';
import * as https from 'node:https';
import type { Duplex } from 'node:stream';

import { UsageError } from '../errors';
import type { Environment } from '../resolve/types';
import { PROXY_REFUSED_CODE } from './classifySdkError';

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

/**
 * An HTTPS agent that reaches each host through the proxy's CONNECT tunnel (unless NO_PROXY
 * exempts it), then speaks TLS to the host itself over the tunnel: the proxy sees a host name and
 * encrypted bytes, never a request or a credential. Every option of the agent (`ca` among them)
 * applies to the TLS with the host. A refusal is an error with code PROXY_REFUSED_CODE and the
 * proxy's status; nothing about the proxy's URL but its host and port is ever in an error.
 */
export class ProxyTunnelAgent extends https.Agent {
  private readonly proxy: HttpsProxy;

  constructor(proxy: HttpsProxy, options: https.AgentOptions) {
    super(options);
    this.proxy = proxy;
  }

  override createConnection(options: https.RequestOptions, callback?: (error: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.host ?? options.hostname ?? 'localhost';
    const port = Number(options.port ?? 443);
    if (bypassesProxy(host, port, this.proxy.noProxy)) return super.createConnection(options, callback);
    // Node's agents always pass one; without it there would be no way to hand over the tunnel,
    // and going direct instead could bypass a proxy that is the only way out.
    if (callback === undefined) throw new Error('ProxyTunnelAgent needs the callback form of createConnection');
    const { url, authorization } = this.proxy;
    const secure = url.protocol === 'https:';
    const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const request = (secure ? https : http).request({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      method: 'CONNECT',
      path: target,
      setHost: false,
      agent: false,
      headers: { host: target, ...(authorization === undefined ? {} : { 'proxy-authorization': authorization }) },
      ...(secure ? { servername: url.hostname } : {}),
    });
    let settled = false;
    const settle = (error: Error | null, stream?: Duplex): void => {
      if (settled) return;
      settled = true;
      // The callback's stream may be absent on an error; Node's agent then only reads the error.
      callback(error, stream as Duplex);
    };
    request.once('connect', (response, socket) => {
      if (response.statusCode !== 200) {
        socket.destroy();
        const status = response.statusCode ?? 0;
        settle(Object.assign(new Error(`The proxy ${url.host} refused a tunnel to ${target} (HTTP ${status}).`), { code: PROXY_REFUSED_CODE, proxyStatus: status }));
        return;
      }
      settle(null, super.createConnection({ ...options, socket } as https.RequestOptions) ?? undefined);
    });
    request.once('error', (error) => settle(error));
    request.end();
    return undefined;
  }
}
