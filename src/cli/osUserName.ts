import { onDemandOs } from '../onDemandOs';

/**
 * The login name for `{user}`, looked up as Python's getpass.getuser() does:
 * LOGNAME, USER, LNAME, USERNAME, then the passwd entry. The variables come first because reading
 * the passwd database costs a noticeable share of a cache hit.
 */
export function osUserName(env: NodeJS.ProcessEnv): string {
  for (const name of ['LOGNAME', 'USER', 'LNAME', 'USERNAME']) {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
  }
  try {
    return onDemandOs().userInfo().username;
  } catch {
    // Containers may run as a uid with no passwd entry.
    return `uid-${process.getuid?.() ?? 'unknown'}`;
  }
}
