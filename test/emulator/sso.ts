/**
 * IAM Identity Center emulator: the SSO-OIDC service (RegisterClient, StartDeviceAuthorization,
 * CreateToken) and the SSO portal (GetRoleCredentials, Logout), speaking the REST-JSON protocol
 * that @aws-sdk/client-sso-oidc and @aws-sdk/client-sso use.
 *
 * Semantics worth knowing when writing a test:
 * - Device codes: every CreateToken poll counts. With `approveAfterPolls(k)` the first k polls of
 *   a device code answer authorization_pending and poll k+1 gets the token (k = 0, the default:
 *   the first poll succeeds). A poll named by `slowDownOnPoll(n)` answers slow_down instead (and
 *   still counts as a poll).
 * - A refresh token is issued only when the client registered with, or CreateToken asked for, the
 *   `sso:account:access` scope. Refresh tokens rotate: each refresh returns a new one and the old
 *   one is then refused with invalid_grant.
 * - A refresh leaves the previous access token valid until it expires, as the real service does.
 * - `createTokenDelayMs` (option or control) delays the answer to a refresh_token grant after the
 *   presented refresh token has been spent, as a slow network or service does: a client that gives
 *   up and retries presents a spent token.
 * - Role credentials from GetRoleCredentials are known to STS (through the emulator's
 *   registerCredentials) as a session of arn:aws:iam::ACCOUNT:role/aws-reserved/sso.amazonaws.com/
 *   AWSReservedSSO_<permission set>_<suffix>, so they can sign AssumeRole and GetCallerIdentity.
 * - Logout invalidates the access token and the refresh token of the same sign-in.
 * - Each sign-in belongs to the portal (start URL) it was started for, and refreshes stay there.
 *   An assignment made for one portal (`assign(..., startUrl)`) gives credentials only to that
 *   portal's tokens, as two IAM Identity Center instances do; one made without a portal, to all.
 * - The verification page, GET /device?user_code=CODE (the verificationUriComplete that
 *   StartDeviceAuthorization returns), stands in for the person who approves in a browser: it
 *   approves that code at once, whatever `approveAfterPolls` says. It is not an AWS API, so it is
 *   not counted in the call log. `npm run emulator` relies on it.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import type { EmulatorRequest, EmulatorResponse, Service, ServiceContext } from './types';

const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const REFRESH_TOKEN_GRANT = 'refresh_token';
const ACCOUNT_ACCESS_SCOPE = 'sso:account:access';

export interface SsoServiceOptions {
  /** Lifetime of issued access tokens. Default 3600. Can be changed later through `control`. */
  accessTokenTtlSeconds?: number;
  /** Lifetime of client registrations (clientSecretExpiresAt). Default 90 days. */
  registrationTtlSeconds?: number;
  /** Lifetime of device codes. Default 600. */
  deviceCodeTtlSeconds?: number;
  /** The `interval` StartDeviceAuthorization returns. Default 1, as the real service. */
  pollIntervalSeconds?: number;
  /** Lifetime of role credentials from GetRoleCredentials. Default 3600. */
  roleCredentialsTtlSeconds?: number;
  /** The user who approves device codes. Default "alice". */
  userName?: string;
  /** Delay before answering a refresh_token grant (see the module comment). Default 0. */
  createTokenDelayMs?: number;
}

export interface SsoControl {
  /** Device codes are approved after `polls` CreateToken polls (see the module comment). */
  approveAfterPolls(polls: number): void;
  /** The next CreateToken poll on a device code answers access_denied. */
  denyNext(): void;
  /** Every outstanding device code expires now. */
  expireDeviceCodes(): void;
  /** Poll number `poll` (1-based, per device code) answers slow_down. Can be called more than once. */
  slowDownOnPoll(poll: number): void;
  /**
   * Lets `user` (default: the approving user) get credentials for `roleName` in `accountId`,
   * with a token of the portal `startUrl` only (default: of any portal).
   */
  assign(accountId: string, roleName: string, user?: string, startUrl?: string): void;
  /** Lifetime of access tokens issued from now on. */
  accessTokenTtlSeconds: number;
  /** Lifetime of role credentials issued from now on; negative answers credentials already expired. */
  roleCredentialsTtlSeconds: number;
  /** Access tokens issued so far (device code and refresh grants). */
  readonly tokensIssued: number;
  /** Refresh tokens that are currently accepted. */
  readonly liveRefreshTokens: number;
  /** Every client registration expires now. */
  expireRegistrations(): void;
  /**
   * From now on, GetRoleCredentials answers with credentials of `account` whatever account was
   * asked for, as a misdirected portal would (undefined: behave). STS knows them by that account.
   */
  answerForAccount(account: string | undefined): void;
  /** Delay before answering refresh_token grants issued from now on. */
  createTokenDelayMs: number;
  /** refresh_token grants answered with invalid_grant so far. */
  readonly invalidGrants: number;
}

interface Client {
  secret: string;
  expiresAtMs: number;
  scopes: readonly string[];
}

interface DeviceCode {
  clientId: string;
  /** The portal the sign-in was started for. */
  startUrl: string;
  userCode: string;
  expiresAtMs: number;
  polls: number;
  used: boolean;
  /** Approved on the verification page. */
  approved: boolean;
}

interface Session {
  user: string;
  /** The portal the sign-in was for, normalised (see portalKey). */
  portal: string;
  clientId: string;
  accessToken: string;
  refreshToken: string | undefined;
}

interface AccessToken {
  session: Session;
  expiresAtMs: number;
  valid: boolean;
}

type Json = Record<string, unknown>;

function secret(prefix: string, bytes = 32): string {
  return `${prefix}${randomBytes(bytes).toString('base64url')}`;
}

function upperAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

function page(status: number, text: string): EmulatorResponse {
  return { status, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `${text}\n` };
}

function json(status: number, body: Json | undefined, extraHeaders: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID(), ...extraHeaders },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** An SSO-OIDC error: the type travels in x-amzn-errortype, the OAuth code in `error`. */
function oidcError(type: string, status: number, error: string, description: string): EmulatorResponse {
  return json(status, { error, error_description: description }, { 'x-amzn-errortype': type });
}

/** An SSO portal error: the type travels in x-amzn-errortype, the text in `message`. */
function portalError(type: string, status: number, message: string): EmulatorResponse {
  return json(status, { message }, { 'x-amzn-errortype': type });
}

function parseBody(req: EmulatorRequest): Json | undefined {
  if (req.body.length === 0) return {};
  try {
    const parsed: unknown = JSON.parse(req.body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : undefined;
  } catch {
    return undefined;
  }
}

function str(body: Json, key: string): string | undefined {
  const value = body[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function strList(body: Json, key: string): string[] {
  const value = body[key];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function header(req: EmulatorRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A start URL as the service compares portals: without a trailing `/` or `#/`. */
function portalKey(startUrl: string): string {
  return startUrl.replace(/\/?(#\/?)?$/, '');
}

/** An assignment's key; `portal` '*' is any portal. */
function assignmentKey(user: string, accountId: string, roleName: string, portal: string): string {
  return [user, accountId, roleName, portal].join('\u0000');
}

const badRequest = (): EmulatorResponse =>
  oidcError('InvalidRequestException', 400, 'invalid_request', 'The request body is not valid JSON');

/**
 * Creates the SSO-OIDC and SSO portal emulator.
 *
 * @example
 *   const sso = createSsoService(ctx);
 *   sso.control.assign('111111111111', 'AdministratorAccess');
 *   sso.control.approveAfterPolls(2);
 */
export function createSsoService(ctx: ServiceContext, options: SsoServiceOptions = {}): Service & { control: SsoControl } {
  const registrationTtlMs = (options.registrationTtlSeconds ?? 90 * 86400) * 1000;
  const deviceCodeTtlSeconds = options.deviceCodeTtlSeconds ?? 600;
  const pollIntervalSeconds = options.pollIntervalSeconds ?? 1;
  const defaultUser = options.userName ?? 'alice';

  const clients = new Map<string, Client>();
  const deviceCodes = new Map<string, DeviceCode>();
  const accessTokens = new Map<string, AccessToken>();
  const refreshTokens = new Map<string, Session>();
  const assignments = new Set<string>();
  const slowDownPolls = new Set<number>();
  let approveAfter = 0;
  let denyPending = false;
  let tokensIssued = 0;
  let answerAccount: string | undefined;
  let invalidGrants = 0;

  const control: SsoControl = {
    approveAfterPolls(polls) {
      approveAfter = polls;
    },
    denyNext() {
      denyPending = true;
    },
    expireDeviceCodes() {
      for (const code of deviceCodes.values()) code.expiresAtMs = ctx.now() - 1;
    },
    slowDownOnPoll(poll) {
      slowDownPolls.add(poll);
    },
    assign(accountId, roleName, user = defaultUser, startUrl) {
      assignments.add(assignmentKey(user, accountId, roleName, startUrl === undefined ? '*' : portalKey(startUrl)));
    },
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
    roleCredentialsTtlSeconds: options.roleCredentialsTtlSeconds ?? 3600,
    get tokensIssued() {
      return tokensIssued;
    },
    get liveRefreshTokens() {
      return refreshTokens.size;
    },
    expireRegistrations() {
      for (const client of clients.values()) client.expiresAtMs = ctx.now() - 1;
    },
    answerForAccount(account) {
      answerAccount = account;
    },
    createTokenDelayMs: options.createTokenDelayMs ?? 0,
    get invalidGrants() {
      return invalidGrants;
    },
  };

  /** Checks clientId/clientSecret; returns an error response, or the client. */
  function authenticateClient(body: Json): EmulatorResponse | Client & { id: string } {
    const id = str(body, 'clientId');
    const client = id === undefined ? undefined : clients.get(id);
    if (id === undefined || client === undefined || client.secret !== str(body, 'clientSecret')) {
      return oidcError('InvalidClientException', 401, 'invalid_client', 'Invalid client id or secret');
    }
    if (client.expiresAtMs <= ctx.now()) {
      return oidcError('InvalidClientException', 401, 'invalid_client', 'Client registration has expired');
    }
    return { ...client, id };
  }

  function issue(session: Session, wantsRefresh: boolean): Json {
    tokensIssued += 1;
    const accessToken = secret('aoa');
    session.accessToken = accessToken;
    session.refreshToken = wantsRefresh ? secret('aor', 48) : undefined;
    accessTokens.set(accessToken, {
      session,
      expiresAtMs: ctx.now() + control.accessTokenTtlSeconds * 1000,
      valid: true,
    });
    if (session.refreshToken !== undefined) refreshTokens.set(session.refreshToken, session);
    const body: Json = { accessToken, tokenType: 'Bearer', expiresIn: control.accessTokenTtlSeconds };
    if (session.refreshToken !== undefined) body['refreshToken'] = session.refreshToken;
    return body;
  }

  function registerClient(body: Json): EmulatorResponse {
    if (str(body, 'clientName') === undefined || str(body, 'clientType') !== 'public') {
      return oidcError('InvalidClientMetadataException', 400, 'invalid_client_metadata', 'clientName and clientType "public" are required');
    }
    const id = secret('cid', 16);
    const nowMs = ctx.now();
    const client: Client = { secret: secret('cs', 48), expiresAtMs: nowMs + registrationTtlMs, scopes: strList(body, 'scopes') };
    clients.set(id, client);
    return json(200, {
      clientId: id,
      clientSecret: client.secret,
      clientIdIssuedAt: Math.floor(nowMs / 1000),
      clientSecretExpiresAt: Math.floor(client.expiresAtMs / 1000),
    });
  }

  function startDeviceAuthorization(req: EmulatorRequest, body: Json): EmulatorResponse {
    const client = authenticateClient(body);
    if ('status' in client) return client;
    const startUrl = str(body, 'startUrl');
    if (startUrl === undefined) {
      return oidcError('InvalidRequestException', 400, 'invalid_request', 'startUrl is required');
    }
    const deviceCode = secret('dc');
    const userCode = `${upperAlnum(4)}-${upperAlnum(4)}`;
    deviceCodes.set(deviceCode, {
      clientId: client.id,
      startUrl,
      userCode,
      expiresAtMs: ctx.now() + deviceCodeTtlSeconds * 1000,
      polls: 0,
      used: false,
      approved: false,
    });
    const verificationUri = `http://${header(req, 'host') ?? '127.0.0.1'}/device`;
    return json(200, {
      deviceCode,
      userCode,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${userCode}`,
      expiresIn: deviceCodeTtlSeconds,
      interval: pollIntervalSeconds,
    });
  }

  function deviceCodeGrant(body: Json, client: Client & { id: string }): EmulatorResponse {
    const code = deviceCodes.get(str(body, 'deviceCode') ?? '');
    if (code === undefined || code.clientId !== client.id || code.used) {
      return oidcError('InvalidGrantException', 400, 'invalid_grant', 'Invalid device code provided');
    }
    if (code.expiresAtMs <= ctx.now()) {
      return oidcError('ExpiredTokenException', 400, 'expired_token', 'Device code has expired');
    }
    code.polls += 1;
    if (denyPending) {
      denyPending = false;
      code.used = true;
      return oidcError('AccessDeniedException', 400, 'access_denied', 'The user denied the authorization request');
    }
    if (slowDownPolls.has(code.polls)) {
      return oidcError('SlowDownException', 400, 'slow_down', 'Client is polling too quickly');
    }
    if (!code.approved && code.polls <= approveAfter) {
      return oidcError('AuthorizationPendingException', 400, 'authorization_pending', 'Authorization is still pending');
    }
    code.used = true;
    const wantsRefresh = client.scopes.includes(ACCOUNT_ACCESS_SCOPE) || strList(body, 'scope').includes(ACCOUNT_ACCESS_SCOPE);
    const session: Session = {
      user: defaultUser,
      portal: portalKey(code.startUrl),
      clientId: client.id,
      accessToken: '',
      refreshToken: undefined,
    };
    return json(200, issue(session, wantsRefresh));
  }

  function refreshTokenGrant(body: Json, client: Client & { id: string }): EmulatorResponse {
    const presented = str(body, 'refreshToken') ?? '';
    const session = refreshTokens.get(presented);
    if (session === undefined || session.clientId !== client.id) {
      invalidGrants += 1;
      return oidcError('InvalidGrantException', 400, 'invalid_grant', 'Invalid refresh token provided');
    }
    // Rotation: the presented token is spent whatever happens next.
    refreshTokens.delete(presented);
    return json(200, issue(session, true));
  }

  async function createToken(body: Json): Promise<EmulatorResponse> {
    const client = authenticateClient(body);
    if ('status' in client) return client;
    const grantType = str(body, 'grantType');
    if (grantType === DEVICE_CODE_GRANT) return deviceCodeGrant(body, client);
    if (grantType === REFRESH_TOKEN_GRANT) {
      const answer = refreshTokenGrant(body, client);
      const delayMs = control.createTokenDelayMs;
      // unref: a pending answer never keeps a test process alive after the emulator closes.
      if (delayMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, delayMs).unref());
      return answer;
    }
    return oidcError('UnsupportedGrantTypeException', 400, 'unsupported_grant_type', 'Unsupported grant type');
  }

  /** The session behind the bearer token, or the 401 the portal answers. */
  function bearer(req: EmulatorRequest): EmulatorResponse | AccessToken {
    const token = accessTokens.get(header(req, 'x-amz-sso_bearer_token') ?? '');
    if (token === undefined || !token.valid || token.expiresAtMs <= ctx.now()) {
      return portalError('UnauthorizedException', 401, 'Session token not found or invalid');
    }
    return token;
  }

  function getRoleCredentials(req: EmulatorRequest): EmulatorResponse {
    const accountId = req.query.get('account_id') ?? '';
    const roleName = req.query.get('role_name') ?? '';
    const token = bearer(req);
    if ('status' in token) return token;
    if (accountId === '' || roleName === '') {
      return portalError('InvalidRequestException', 400, 'account_id and role_name are required');
    }
    const { user, portal } = token.session;
    if (!assignments.has(assignmentKey(user, accountId, roleName, '*')) && !assignments.has(assignmentKey(user, accountId, roleName, portal))) {
      return portalError('ForbiddenException', 403, 'No access');
    }
    const roleCredentials = {
      accessKeyId: `ASIA${upperAlnum(16)}`,
      secretAccessKey: secret('', 30),
      sessionToken: secret('IQoJb3JpZ2luX2Vj', 96),
      expiration: ctx.now() + control.roleCredentialsTtlSeconds * 1000,
    };
    // The role IAM Identity Center keeps for a permission set in an account ends in a random suffix.
    const account = answerAccount ?? accountId;
    const reservedRole = `AWSReservedSSO_${roleName}_5e0f1a2b3c4d5e6f`;
    ctx.registerCredentials?.({
      accessKeyId: roleCredentials.accessKeyId,
      secretAccessKey: roleCredentials.secretAccessKey,
      sessionToken: roleCredentials.sessionToken,
      expiresAt: roleCredentials.expiration,
      roleArn: `arn:aws:iam::${account}:role/aws-reserved/sso.amazonaws.com/${reservedRole}`,
      arn: `arn:aws:sts::${account}:assumed-role/${reservedRole}/${token.session.user}`,
    });
    return json(200, { roleCredentials });
  }

  function logout(req: EmulatorRequest): EmulatorResponse {
    const token = bearer(req);
    if ('status' in token) return token;
    token.valid = false;
    if (token.session.refreshToken !== undefined) refreshTokens.delete(token.session.refreshToken);
    return json(200, undefined);
  }

  const routes: Record<string, { action: string; handle: (req: EmulatorRequest) => EmulatorResponse | Promise<EmulatorResponse> }> = {
    'POST /client/register': { action: 'RegisterClient', handle: (req) => withBody(req, registerClient) },
    'POST /device_authorization': {
      action: 'StartDeviceAuthorization',
      handle: (req) => withBody(req, (body) => startDeviceAuthorization(req, body)),
    },
    'POST /token': {
      action: 'CreateToken',
      handle: async (req) => {
        const body = parseBody(req);
        return body === undefined ? badRequest() : createToken(body);
      },
    },
    'GET /federation/credentials': { action: 'GetRoleCredentials', handle: getRoleCredentials },
    'POST /logout': { action: 'Logout', handle: logout },
  };

  /** The browser page a person approves the code on; here, opening it approves. */
  function verificationPage(req: EmulatorRequest): EmulatorResponse {
    const userCode = req.query.get('user_code');
    if (userCode === null || userCode === '') {
      return page(400, 'Open the complete URL that `rolemap login` shows: it ends in ?user_code=XXXX-XXXX.');
    }
    const code = [...deviceCodes.values()].find((c) => c.userCode === userCode.toUpperCase());
    if (code === undefined || code.used || code.expiresAtMs <= ctx.now()) {
      return page(404, `No pending login with the code ${userCode}: it expired or was used. Run \`rolemap login\` again.`);
    }
    code.approved = true;
    return page(200, `Approved the code ${userCode} for ${defaultUser}. Return to your terminal.`);
  }

  function withBody(req: EmulatorRequest, fn: (body: Json) => EmulatorResponse): EmulatorResponse {
    const body = parseBody(req);
    return body === undefined ? badRequest() : fn(body);
  }

  return {
    name: 'sso',
    control,
    async handle(req) {
      if (req.method === 'GET' && req.path === '/device') return verificationPage(req);
      const route = routes[`${req.method} ${req.path}`];
      // CreateTokenWithIAM shares /token but is marked by ?aws_iam=t; it is not emulated.
      if (route === undefined || req.query.has('aws_iam')) return undefined;
      const fault = await ctx.begin(route.action, 'json');
      if (fault !== undefined) return fault;
      return route.handle(req);
    },
  };
}
