/**
 * A start URL reduced for comparison: "https://x.awsapps.com/start/#/" and
 * "https://X.awsapps.com/start" name the same portal.
 */
export function normaliseStartUrl(url: string): string {
  return url.trim().replace(/(?:#\/?|\/)+$/, '').toLowerCase();
}
