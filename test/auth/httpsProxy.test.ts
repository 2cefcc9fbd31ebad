import { bypassesProxy, readHttpsProxy } from '../../src/auth/httpsProxy';
import { UsageError } from '../../src/errors';

describe('bypassesProxy: NO_PROXY as curl, botocore and Go read it', () => {
  it.each([
    ['*', 'sts.us-east-1.amazonaws.com', 443, true],
    ['amazonaws.com', 'sts.us-east-1.amazonaws.com', 443, true],
    ['.amazonaws.com', 'sts.us-east-1.amazonaws.com', 443, true],
    ['*.amazonaws.com', 'sts.us-east-1.amazonaws.com', 443, true],
    ['amazonaws.com', 'amazonaws.com', 443, true],
    ['amazonaws.com', 'notamazonaws.com', 443, false],
    ['sts.amazonaws.com', 'sts.us-east-1.amazonaws.com', 443, false],
    ['amazonaws.com:443', 'sts.amazonaws.com', 443, true],
    ['amazonaws.com:8443', 'sts.amazonaws.com', 443, false],
    ['127.0.0.1', '127.0.0.1', 4443, true],
    ['127.0.0.1', '127.0.0.10', 443, false],
    ['::1', '::1', 443, true],
    ['[::1]:443', '[::1]', 443, true],
    ['[::1]:8443', '::1', 443, false],
    ['example.com, STS.US-EAST-1.AMAZONAWS.COM', 'sts.us-east-1.amazonaws.com', 443, true],
    ['', 'sts.us-east-1.amazonaws.com', 443, false],
  ])('NO_PROXY=%j, %s:%d bypasses the proxy: %s', (noProxy, host, port, expected) => {
    const entries = noProxy.split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '');
    expect(bypassesProxy(host, port, entries)).toBe(expected);
  });
});

describe('readHttpsProxy', () => {
  it('is undefined without a proxy, and reads https_proxy before HTTPS_PROXY and no_proxy before NO_PROXY', () => {
    expect(readHttpsProxy({})).toBeUndefined();
    expect(readHttpsProxy({ HTTPS_PROXY: '  ' })).toBeUndefined();
    const proxy = readHttpsProxy({ HTTPS_PROXY: 'http://upper:3128', https_proxy: 'http://lower:3128', NO_PROXY: 'upper.example', no_proxy: 'Lower.Example, ,x' });
    expect({ host: proxy?.url.host, noProxy: proxy?.noProxy }).toStrictEqual({ host: 'lower:3128', noProxy: ['lower.example', 'x'] });
  });

  it('takes a proxy without a scheme as http://, as curl does', () => {
    expect(readHttpsProxy({ HTTPS_PROXY: 'proxy.corp:3128' })?.url.href).toBe('http://proxy.corp:3128/');
  });

  it.each([
    ['http://user:s3cret@[not-a-host', /^HTTPS_PROXY is not a URL\.$/],
    ['socks5://user:s3cret@proxy.corp:1080', /^HTTPS_PROXY names a socks5 proxy; rolemap goes through http:\/\/ and https:\/\/ proxies\.$/],
    ['http://user:s3cret%zz@proxy.corp:3128', /^HTTPS_PROXY's user name or password is not percent-encoded properly\.$/],
  ])('refuses %s with a usage error that never repeats the value (it may hold a password)', (value, message) => {
    let thrown: unknown;
    try {
      readHttpsProxy({ HTTPS_PROXY: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UsageError);
    const error = thrown as UsageError;
    expect(error.message).toMatch(message);
    expect(`${error.message} ${error.hint ?? ''}`).not.toContain('s3cret');
  });
});
