import { userInfo } from 'node:os';
import { osUserName } from '../../src/cli/osUserName';

describe('the login name that fills {user} outside CI', () => {
  it.each([
    [{ LOGNAME: 'alice', USER: 'bob', LNAME: 'carol', USERNAME: 'dave' }, 'alice'],
    [{ USER: 'bob', LNAME: 'carol', USERNAME: 'dave' }, 'bob'],
    [{ LOGNAME: '', USER: 'bob' }, 'bob'],
    [{ LNAME: 'carol', USERNAME: 'dave' }, 'carol'],
    [{ USERNAME: 'dave' }, 'dave'],
  ])('takes the first of LOGNAME, USER, LNAME, USERNAME that is set, as getpass.getuser() does (%j)', (env, expected) => {
    expect(osUserName(env)).toBe(expected);
  });

  it('falls back to the passwd entry of the running user', () => {
    expect(osUserName({})).toBe(userInfo().username);
  });
});
