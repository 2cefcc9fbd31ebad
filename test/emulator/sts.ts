import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { CallContext, CallDetails } from './callLog';
import type { OidcIssuer, TokenClaims } from './oidcIssuer';
import { verifySigV4 } from './sigv4';
import { escapeXml, stsErrorResponse } from './stsErrorResponse';
import type { EmulatorRequest, EmulatorResponse, IssuedCredentials, Service } from './types';

/**
 * Who may assume a role, and on what terms: the emulator's stand-in for an IAM trust policy.
 */
export interface TrustPolicy {
  /**
   * ARNs allowed to call sts:AssumeRole: IAM users, roles (any session of that role matches),
   * assumed-role session ARNs, "arn:aws:iam::ACCOUNT:root" (any principal of that account) or "*".
   */
  principals?: string[];
  /** `sub` claims allowed to call sts:AssumeRoleWithWebIdentity; `*` and `?` are wildcards as in IAM StringLike. */
  oidcSubjects?: string[];
  /** Required `aud` of web identity tokens; default "sts.amazonaws.com". */
  oidcAudience?: string;
  /** sts:ExternalId the caller must send, when set. */
  externalId?: string;
  /** sts:SetSourceIdentity allowed. */
  allowSourceIdentity?: boolean;
  /** sts:TagSession allowed. */
  allowTagSession?: boolean;
  /** The role's MaxSessionDuration in seconds (3600..43200); default 3600. */
  maxSessionDuration?: number;
  /**
   * The trust policy's `"Bool": {"aws:MultiFactorAuthPresent": "true"}`: only callers that
   * authenticated with MFA (a GetSessionToken session with a code, a session assumed from one, or
   * an AssumeRole with SerialNumber and TokenCode) may assume the role.
   */
  requireMfa?: boolean;
}

/** A trust policy change: a field set to undefined is removed. */
export type TrustPolicyUpdate = { [K in keyof TrustPolicy]?: TrustPolicy[K] | undefined };

export interface EmulatedUser {
  /** arn:aws:iam::ACCOUNT:user/NAME */
  arn: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The user's virtual MFA device and the one code it accepts (a real device's code changes; the emulator's does not). */
  mfa?: { serial: string; code: string };
}

export interface EmulatedRole {
  /** arn:aws:iam::ACCOUNT:role/PATH/NAME */
  arn: string;
  trust: TrustPolicy;
}

/** Test-side control of the emulated IAM state. */
export interface StsControl {
  addUser(user: EmulatedUser): void;
  addRole(role: EmulatedRole): void;
  /** Changes some trust fields of an existing role (e.g. remove a principal to revoke access). */
  updateRole(arn: string, trust: TrustPolicyUpdate): void;
  removeRole(arn: string): void;
  role(arn: string): EmulatedRole | undefined;
  /**
   * From now on, credentials for this role come back with an AssumedRoleUser ARN in another
   * account, as a misconfigured or spoofed endpoint would answer.
   */
  wrongAccountFor(roleArn: string, account?: string): void;
  /**
   * From now on, credentials for this role expire `seconds` after they are issued, whatever
   * DurationSeconds asked for: a negative number answers credentials that have already expired
   * (a broken endpoint or clock), a small one stands for a session shorter than asked.
   * Undefined goes back to DurationSeconds.
   */
  lifetimeFor(roleArn: string, seconds: number | undefined): void;
  /** Stops every misbehaviour. */
  behave(): void;
  /** Accepts credentials another service issued (see ServiceContext.registerCredentials). */
  registerCredentials(credentials: IssuedCredentials): void;
}

export interface StsServiceInit {
  issuer: OidcIssuer;
  /** Issuers (`iss`) with an OIDC provider registered in every account. */
  oidcProviders: readonly string[];
}

const VERSION = '2011-06-15';
const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const DEFAULT_MAX_SESSION_DURATION = 3600;
const DEFAULT_DURATION = 3600;
/** GetSessionToken's default life for an IAM user: 12 hours. */
const DEFAULT_SESSION_TOKEN_DURATION = 43200;
const CHAINED_MAX_DURATION = 3600;
const DEFAULT_AUDIENCE = 'sts.amazonaws.com';
const MAX_TAGS = 50;

const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/((?:[\x21-\x7e]+\/)?)([\w+=,.@-]{1,64})$/;
const USER_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):user\/(?:[\x21-\x7e]+\/)?([\w+=,.@-]{1,64})$/;
const ROOT_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):root$/;
const MFA_SERIAL = { pattern: /^[\w+=/:,.@-]*$/, text: '[\\w+=/:,.@-]*' };
const TOKEN_CODE = { pattern: /^\d*$/, text: '[\\d]*' };
const SESSION_NAME = { pattern: /^[\w+=,.@-]*$/, text: '[\\w+=,.@-]*' };
const EXTERNAL_ID = { pattern: /^[\w+=,.@:/-]*$/, text: '[\\w+=,.@:\\/-]*' };
const TAG_KEY = { pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, text: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' };
const TAG_VALUE = { pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, text: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' };

/** An STS answer other than success; turned into an ErrorResponse at the edge of the handler. */
class StsFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface IssuedSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  roleArn: string;
  /** The assumed-role ARN handed out (in another account when misbehaving). */
  arn: string;
  account: string;
  assumedRoleId: string;
  sourceIdentity: string | undefined;
  transitiveTags: Record<string, string>;
  /** Whether MFA authenticated this session (aws:MultiFactorAuthPresent). */
  mfa: boolean;
}

type Caller =
  | { kind: 'user'; user: EmulatedUser; account: string }
  | { kind: 'session'; session: IssuedSession };

interface ParsedRole {
  partition: string;
  account: string;
  name: string;
}

/**
 * STS in the Query protocol (POST / with Action=... form bodies, XML answers): AssumeRole,
 * AssumeRoleWithWebIdentity, GetCallerIdentity and GetSessionToken (with MFA), with SigV4 checks,
 * trust rules and AWS's validation messages.
 */
export function createStsService(ctx: CallContext, init: StsServiceInit): Service & { control: StsControl } {
  const users = new Map<string, EmulatedUser>();
  const roles = new Map<string, EmulatedRole>();
  const sessions = new Map<string, IssuedSession>();
  const wrongAccounts = new Map<string, string>();
  const lifetimes = new Map<string, number>();

  const control: StsControl = {
    addUser(user) {
      if (!USER_ARN.test(user.arn)) throw new TypeError(`not an IAM user ARN: ${user.arn}`);
      users.set(user.accessKeyId, { ...user });
    },
    addRole(role) {
      if (!ROLE_ARN.test(role.arn)) throw new TypeError(`not an IAM role ARN: ${role.arn}`);
      roles.set(role.arn, { arn: role.arn, trust: copyTrust(role.trust) });
    },
    updateRole(arn, update) {
      const role = roles.get(arn);
      if (role === undefined) throw new RangeError(`no such role: ${arn}`);
      const trust: Record<string, unknown> = { ...role.trust };
      for (const [key, value] of Object.entries(update)) {
        if (value === undefined) delete trust[key];
        else trust[key] = Array.isArray(value) ? [...value] : value;
      }
      role.trust = trust as TrustPolicy;
    },
    removeRole(arn) {
      roles.delete(arn);
    },
    role(arn) {
      const role = roles.get(arn);
      return role === undefined ? undefined : { arn: role.arn, trust: copyTrust(role.trust) };
    },
    wrongAccountFor(roleArn, account) {
      const own = parseRoleArn(roleArn)?.account;
      wrongAccounts.set(roleArn, account ?? (own === '123456789012' ? '210987654321' : '123456789012'));
    },
    lifetimeFor(roleArn, seconds) {
      if (seconds === undefined) lifetimes.delete(roleArn);
      else lifetimes.set(roleArn, seconds);
    },
    behave() {
      wrongAccounts.clear();
      lifetimes.clear();
    },
    registerCredentials(credentials) {
      const sessionName = credentials.arn.split('/').pop() ?? '';
      sessions.set(credentials.accessKeyId, {
        ...credentials,
        account: accountOfArn(credentials.arn),
        assumedRoleId: `${roleIdOf(credentials.roleArn)}:${sessionName}`,
        sourceIdentity: undefined,
        transitiveTags: {},
        mfa: false,
      });
    },
  };

  function authenticate(req: EmulatorRequest): Caller {
    const securityToken = headerValue(req, 'x-amz-security-token');
    const found: { caller?: Caller } = {};
    const verdict = verifySigV4(req, {
      service: 'sts',
      wallClock: () => Date.now(),
      secretFor(accessKeyId) {
        const user = users.get(accessKeyId);
        if (user !== undefined) {
          if (securityToken !== undefined) return undefined;
          found.caller = { kind: 'user', user, account: accountOfArn(user.arn) };
          return user.secretAccessKey;
        }
        const session = sessions.get(accessKeyId);
        if (session !== undefined && securityToken === session.sessionToken) {
          found.caller = { kind: 'session', session };
          return session.secretAccessKey;
        }
        return undefined;
      },
    });
    if (verdict.status === 'rejected') throw new StsFailure(verdict.httpStatus, verdict.code, verdict.message);
    const caller = found.caller;
    if (caller === undefined) throw new StsFailure(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (caller.kind === 'session' && ctx.now() >= caller.session.expiresAt) {
      throw new StsFailure(403, 'ExpiredToken', 'The security token included in the request is expired');
    }
    return caller;
  }

  function issueSession(
    roleArn: string,
    role: ParsedRole,
    sessionName: string,
    durationSeconds: number,
    extra: { sourceIdentity: string | undefined; transitiveTags: Record<string, string>; mfa: boolean },
  ): IssuedSession {
    const account = wrongAccounts.get(roleArn) ?? role.account;
    const session: IssuedSession = {
      accessKeyId: `ASIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VtdWxhdG9y${randomBytes(210).toString('base64')}`,
      expiresAt: Math.floor(ctx.now() / 1000) * 1000 + (lifetimes.get(roleArn) ?? durationSeconds) * 1000,
      roleArn,
      arn: `arn:${role.partition}:sts::${account}:assumed-role/${role.name}/${sessionName}`,
      account,
      assumedRoleId: `${roleIdOf(roleArn)}:${sessionName}`,
      sourceIdentity: extra.sourceIdentity,
      transitiveTags: extra.transitiveTags,
      mfa: extra.mfa,
    };
    sessions.set(session.accessKeyId, session);
    return session;
  }

  /**
   * Checks SerialNumber and TokenCode against the calling user's MFA device: true when both are
   * present and right, false when neither is sent. A code for a session caller, a device that is
   * not the user's or a wrong code is refused as AWS refuses it.
   */
  function verifyMfa(params: URLSearchParams, caller: Caller): boolean {
    const serial = params.get('SerialNumber') ?? undefined;
    const code = params.get('TokenCode') ?? undefined;
    if (serial === undefined && code === undefined) return false;
    const device = caller.kind === 'user' ? caller.user.mfa : undefined;
    if (serial === undefined || code === undefined || device === undefined || device.serial !== serial) {
      throw new StsFailure(403, 'AccessDenied', 'MultiFactorAuthentication failed, unable to validate MFA code.');
    }
    if (device.code !== code) {
      throw new StsFailure(403, 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ');
    }
    return true;
  }

  function getSessionToken(params: URLSearchParams, caller: Caller): string[] {
    const check = new ModelValidation();
    const duration = check.integer('durationSeconds', params.get('DurationSeconds') ?? undefined, 900, 129600);
    check.text('serialNumber', params.get('SerialNumber') ?? undefined, { min: 9, max: 256, ...MFA_SERIAL });
    check.text('tokenCode', params.get('TokenCode') ?? undefined, { min: 6, max: 6, ...TOKEN_CODE, secret: true });
    check.done();
    if (caller.kind !== 'user') throw new StsFailure(403, 'AccessDenied', 'Cannot call GetSessionToken with session credentials');
    const mfa = verifyMfa(params, caller);
    const session: IssuedSession = {
      accessKeyId: `ASIA${randomId(16)}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VtdWxhdG9y${randomBytes(210).toString('base64')}`,
      expiresAt: Math.floor(ctx.now() / 1000) * 1000 + (duration ?? DEFAULT_SESSION_TOKEN_DURATION) * 1000,
      // A user's session acts as the user: trust policies naming the user match it.
      roleArn: caller.user.arn,
      arn: caller.user.arn,
      account: caller.account,
      assumedRoleId: userIdOf(caller.user.arn),
      sourceIdentity: undefined,
      transitiveTags: {},
      mfa,
    };
    sessions.set(session.accessKeyId, session);
    return [credentialsXml(session)];
  }

  function assumeRole(params: URLSearchParams, caller: Caller): string[] {
    const roleArn = params.get('RoleArn') ?? undefined;
    const sessionName = params.get('RoleSessionName') ?? undefined;
    const externalId = params.get('ExternalId') ?? undefined;
    const serialNumber = params.get('SerialNumber') ?? undefined;
    const tokenCode = params.get('TokenCode') ?? undefined;
    const sourceIdentity = params.get('SourceIdentity') ?? undefined;
    const policy = params.get('Policy') ?? undefined;
    const tags = parseTags(params);
    const transitiveKeys = memberList(params, 'TransitiveTagKeys', '');
    const policyArns = memberList(params, 'PolicyArns', '.arn');

    const check = new ModelValidation();
    check.text('roleArn', roleArn, { required: true, min: 20, max: 2048 });
    check.text('roleSessionName', sessionName, { required: true, min: 2, max: 64, ...SESSION_NAME });
    const duration = check.integer('durationSeconds', params.get('DurationSeconds') ?? undefined, 900, 43200);
    check.text('externalId', externalId, { min: 2, max: 1224, ...EXTERNAL_ID });
    check.text('sourceIdentity', sourceIdentity, { min: 2, max: 64, ...SESSION_NAME });
    check.text('policy', policy, { min: 1, max: 2048 });
    check.tags(tags);
    check.count('transitiveTagKeys', transitiveKeys, MAX_TAGS);
    check.text('serialNumber', serialNumber, { min: 9, max: 256, ...MFA_SERIAL });
    check.text('tokenCode', tokenCode, { min: 6, max: 6, ...TOKEN_CODE, secret: true });
    check.done();
    if (roleArn === undefined || sessionName === undefined) throw new Error('unreachable: required members checked');
    const mfa = verifyMfa(params, caller) || (caller.kind === 'session' && caller.session.mfa);
    if (policy !== undefined && !isJson(policy)) {
      throw new StsFailure(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
    }
    const lowerKeys = tags.map((t) => t.key.toLowerCase());
    if (new Set(lowerKeys).size !== lowerKeys.length) {
      throw new StsFailure(400, 'ValidationError', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }

    const parsedRole = parseRoleArn(roleArn);
    if (parsedRole === undefined) throw new StsFailure(400, 'ValidationError', `${roleArn} is invalid`);
    const callerArn = callerArnOf(caller);
    const denied = (action: string): StsFailure =>
      new StsFailure(403, 'AccessDenied', `User: ${callerArn} is not authorized to perform: ${action} on resource: ${roleArn}`);

    // An unknown role is refused exactly like an untrusted one: AWS does not reveal which roles exist.
    const role = roles.get(roleArn);
    if (role === undefined || !principalTrusted(role.trust, caller)) throw denied('sts:AssumeRole');
    if (role.trust.externalId !== undefined && role.trust.externalId !== externalId) throw denied('sts:AssumeRole');
    if (role.trust.requireMfa === true && !mfa) throw denied('sts:AssumeRole');

    const inherited = caller.kind === 'session' ? caller.session : undefined;
    if (inherited?.sourceIdentity !== undefined && sourceIdentity !== undefined && sourceIdentity !== inherited.sourceIdentity) {
      throw denied('sts:SetSourceIdentity');
    }
    const effectiveSourceIdentity = sourceIdentity ?? inherited?.sourceIdentity;
    // A source identity carried along a role chain needs sts:SetSourceIdentity on every role of the chain.
    if (effectiveSourceIdentity !== undefined && role.trust.allowSourceIdentity !== true) throw denied('sts:SetSourceIdentity');
    const inheritedTags = inherited?.transitiveTags ?? {};
    // Transitive tags from the calling session count as session tags for the next role.
    if ((tags.length > 0 || Object.keys(inheritedTags).length > 0) && role.trust.allowTagSession !== true) {
      throw denied('sts:TagSession');
    }

    const durationSeconds = duration ?? DEFAULT_DURATION;
    if (caller.kind === 'session' && durationSeconds > CHAINED_MAX_DURATION) {
      throw new StsFailure(400, 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    }
    if (durationSeconds > (role.trust.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION)) {
      throw new StsFailure(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const packedPolicySize = packedSize(policy, policyArns, tags);
    if (packedPolicySize !== undefined && packedPolicySize > 100) {
      throw new StsFailure(400, 'PackedPolicyTooLarge', `Packed size of consumed policies and session tags exceeds 100% of allowed value (${packedPolicySize}%).`);
    }

    const transitiveTags: Record<string, string> = { ...inheritedTags };
    for (const tag of tags) {
      if (transitiveKeys.some((k) => k.toLowerCase() === tag.key.toLowerCase())) transitiveTags[tag.key] = tag.value;
    }
    const session = issueSession(roleArn, parsedRole, sessionName, durationSeconds, {
      sourceIdentity: effectiveSourceIdentity,
      transitiveTags,
      mfa,
    });
    return [
      credentialsXml(session),
      assumedRoleUserXml(session),
      packedPolicySize === undefined ? '' : `<PackedPolicySize>${packedPolicySize}</PackedPolicySize>`,
      session.sourceIdentity === undefined ? '' : `<SourceIdentity>${escapeXml(session.sourceIdentity)}</SourceIdentity>`,
    ];
  }

  function assumeRoleWithWebIdentity(params: URLSearchParams): string[] {
    const roleArn = params.get('RoleArn') ?? undefined;
    const sessionName = params.get('RoleSessionName') ?? undefined;
    const token = params.get('WebIdentityToken') ?? undefined;
    const policy = params.get('Policy') ?? undefined;
    const policyArns = memberList(params, 'PolicyArns', '.arn');

    const check = new ModelValidation();
    check.text('roleArn', roleArn, { required: true, min: 20, max: 2048 });
    check.text('roleSessionName', sessionName, { required: true, min: 2, max: 64, ...SESSION_NAME });
    // The offending token itself is never echoed: it is a credential.
    check.text('webIdentityToken', token, { required: true, min: 4, max: 20000, secret: true });
    const duration = check.integer('durationSeconds', params.get('DurationSeconds') ?? undefined, 900, 43200);
    check.text('policy', policy, { min: 1, max: 2048 });
    check.done();
    if (roleArn === undefined || sessionName === undefined || token === undefined) {
      throw new Error('unreachable: required members checked');
    }
    if (policy !== undefined && !isJson(policy)) {
      throw new StsFailure(400, 'MalformedPolicyDocument', 'The policy is not in the valid JSON format.');
    }
    const parsedRole = parseRoleArn(roleArn);
    if (parsedRole === undefined) throw new StsFailure(400, 'ValidationError', `${roleArn} is invalid`);

    const claims = verifiedClaims(token);
    if (!init.oidcProviders.includes(claims.iss)) {
      throw new StsFailure(400, 'InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${claims.iss}`);
    }
    const nowSeconds = Math.floor(ctx.now() / 1000);
    if (claims.exp <= nowSeconds) {
      throw new StsFailure(400, 'ExpiredTokenException', `Token expired: current date/time ${nowSeconds} must be before the expiration date/time${claims.exp}`);
    }
    const role = roles.get(roleArn);
    const audience = role?.trust.oidcAudience ?? DEFAULT_AUDIENCE;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(audience)) throw new StsFailure(400, 'InvalidIdentityToken', 'Incorrect token audience');
    if (role === undefined || !(role.trust.oidcSubjects ?? []).some((pattern) => globMatches(pattern, claims.sub))) {
      throw new StsFailure(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    }
    const durationSeconds = duration ?? DEFAULT_DURATION;
    if (durationSeconds > (role.trust.maxSessionDuration ?? DEFAULT_MAX_SESSION_DURATION)) {
      throw new StsFailure(400, 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
    }
    const packedPolicySize = packedSize(policy, policyArns, []);
    const session = issueSession(roleArn, parsedRole, sessionName, durationSeconds, {
      sourceIdentity: undefined,
      transitiveTags: {},
      mfa: false,
    });
    const provider = `arn:${parsedRole.partition}:iam::${parsedRole.account}:oidc-provider/${claims.iss.replace(/^https:\/\//, '')}`;
    return [
      `<SubjectFromWebIdentityToken>${escapeXml(claims.sub)}</SubjectFromWebIdentityToken>`,
      `<Audience>${escapeXml(audience)}</Audience>`,
      assumedRoleUserXml(session),
      credentialsXml(session),
      packedPolicySize === undefined ? '' : `<PackedPolicySize>${packedPolicySize}</PackedPolicySize>`,
      `<Provider>${escapeXml(provider)}</Provider>`,
    ];
  }

  function verifiedClaims(token: string): TokenClaims {
    const verdict = init.issuer.verify(token);
    if (verdict.status === 'malformed') {
      throw new StsFailure(400, 'InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
    }
    if (verdict.status === 'bad-signature') {
      throw new StsFailure(400, 'InvalidIdentityToken', 'The signature of the web identity token could not be verified with the keys of its identity provider.');
    }
    return verdict.claims;
  }

  function getCallerIdentity(caller: Caller): string[] {
    const [userId, account, arn] =
      caller.kind === 'user'
        ? [userIdOf(caller.user.arn), caller.account, caller.user.arn]
        : [caller.session.assumedRoleId, caller.session.account, caller.session.arn];
    return [
      `<Arn>${escapeXml(arn)}</Arn>`,
      `<UserId>${escapeXml(userId)}</UserId>`,
      `<Account>${account}</Account>`,
    ];
  }

  async function handle(req: EmulatorRequest): Promise<EmulatorResponse | undefined> {
    if (req.path !== '/') return undefined;
    const params = queryParams(req);
    const action = params.get('Action');
    if (action === null || action === '') return undefined;
    const signed = action === 'AssumeRole' || action === 'GetCallerIdentity' || action === 'GetSessionToken';

    let caller: Caller | undefined;
    let authFailure: StsFailure | undefined;
    if (signed) {
      try {
        caller = authenticate(req);
      } catch (error) {
        if (!(error instanceof StsFailure)) throw error;
        authFailure = error;
      }
    }
    const details = detailsOf(action, params);
    if (caller !== undefined) details.callerArn = callerArnOf(caller);
    const { fault, entry } = await ctx.beginCall(action, 'sts-xml', details);
    if (fault !== undefined) return fault;

    try {
      if (authFailure !== undefined) throw authFailure;
      const version = params.get('Version');
      if (version !== VERSION) {
        throw new StsFailure(400, 'InvalidAction', `Could not find operation ${action} for version ${version ?? 'NO_VERSION_SPECIFIED'}`);
      }
      let members: string[];
      if (action === 'AssumeRoleWithWebIdentity') members = assumeRoleWithWebIdentity(params);
      else if (caller !== undefined && action === 'AssumeRole') members = assumeRole(params, caller);
      else if (caller !== undefined && action === 'GetCallerIdentity') members = getCallerIdentity(caller);
      else if (caller !== undefined && action === 'GetSessionToken') members = getSessionToken(params, caller);
      else throw new StsFailure(400, 'InvalidAction', `Could not find operation ${action} for version ${VERSION}`);
      entry.result = 'ok';
      const requestId = randomUUID();
      return {
        status: 200,
        headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
        body: successXml(action, members, requestId),
      };
    } catch (error) {
      if (!(error instanceof StsFailure)) throw error;
      entry.result = error.code;
      return stsErrorResponse({ status: error.status, code: error.code, message: error.message });
    }
  }

  return { name: 'sts', handle, control };
}

/** Collects violations of the STS API model, reported together as AWS does. */
class ModelValidation {
  private readonly messages: string[] = [];

  text(
    member: string,
    value: string | undefined,
    rule: { required?: boolean; min?: number; max?: number; pattern?: RegExp; text?: string; secret?: boolean },
  ): void {
    if (value === undefined) {
      if (rule.required === true) this.fail(member, null, 'Member must not be null');
      return;
    }
    const shown = rule.secret === true ? '***' : value;
    const length = [...value].length;
    if (rule.min !== undefined && length < rule.min) this.fail(member, shown, `Member must have length greater than or equal to ${rule.min}`);
    if (rule.max !== undefined && length > rule.max) this.fail(member, shown, `Member must have length less than or equal to ${rule.max}`);
    if (rule.pattern !== undefined && !rule.pattern.test(value)) {
      this.fail(member, shown, `Member must satisfy regular expression pattern: ${rule.text ?? rule.pattern.source}`);
    }
  }

  integer(member: string, value: string | undefined, min: number, max: number): number | undefined {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!/^-?\d+$/.test(value) || !Number.isSafeInteger(n)) {
      this.fail(member, value, 'Member must be an integer');
      return undefined;
    }
    if (n < min) this.fail(member, value, `Member must have value greater than or equal to ${min}`);
    if (n > max) this.fail(member, value, `Member must have value less than or equal to ${max}`);
    return n;
  }

  count(member: string, values: readonly string[], max: number): void {
    if (values.length > max) this.fail(member, `[${values.join(', ')}]`, `Member must have length less than or equal to ${max}`);
  }

  tags(tags: readonly { key: string; value: string }[]): void {
    if (tags.length > MAX_TAGS) {
      this.fail('tags', `[${tags.map((t) => `Tag(key=${t.key}, value=${t.value})`).join(', ')}]`, `Member must have length less than or equal to ${MAX_TAGS}`);
    }
    tags.forEach((tag, i) => {
      this.text(`tags.${i + 1}.member.key`, tag.key, { min: 1, max: 128, pattern: TAG_KEY.pattern, text: TAG_KEY.text });
      this.text(`tags.${i + 1}.member.value`, tag.value, { max: 256, pattern: TAG_VALUE.pattern, text: TAG_VALUE.text });
    });
  }

  done(): void {
    const n = this.messages.length;
    if (n === 0) return;
    throw new StsFailure(400, 'ValidationError', `${n} validation error${n === 1 ? '' : 's'} detected: ${this.messages.join('; ')}`);
  }

  private fail(member: string, value: string | null, constraint: string): void {
    const shown = value === null ? 'null' : `'${value}'`;
    this.messages.push(`Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`);
  }
}

function queryParams(req: EmulatorRequest): URLSearchParams {
  const params = new URLSearchParams(req.query);
  const contentType = headerValue(req, 'content-type') ?? '';
  if (req.method === 'POST' && contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    for (const [key, value] of new URLSearchParams(req.body.toString('utf8'))) params.append(key, value);
  }
  return params;
}

function detailsOf(action: string, params: URLSearchParams): CallDetails {
  const details: CallDetails = {};
  const roleArn = params.get('RoleArn');
  const sessionName = params.get('RoleSessionName');
  const sourceIdentity = params.get('SourceIdentity');
  const externalId = params.get('ExternalId');
  const duration = params.get('DurationSeconds');
  const serialNumber = params.get('SerialNumber');
  if (serialNumber !== null) details.serialNumber = serialNumber;
  if (roleArn !== null) details.roleArn = roleArn;
  if (sessionName !== null) details.sessionName = sessionName;
  if (sourceIdentity !== null) details.sourceIdentity = sourceIdentity;
  if (externalId !== null) details.externalId = externalId;
  if (duration !== null && /^\d+$/.test(duration)) details.durationSeconds = Number(duration);
  const tags = parseTags(params);
  if (tags.length > 0) details.tags = Object.fromEntries(tags.map((t) => [t.key, t.value]));
  if (action === 'AssumeRoleWithWebIdentity') {
    // Read without verifying, only to tell tests which subject was presented.
    const payload = (params.get('WebIdentityToken') ?? '').split('.')[1];
    try {
      const claims: unknown = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8'));
      if (typeof claims === 'object' && claims !== null) {
        const { sub, aud } = claims as Record<string, unknown>;
        if (typeof sub === 'string') details.subject = sub;
        if (typeof aud === 'string') details.audience = aud;
      }
    } catch {
      // Not a JWT: the handler answers InvalidIdentityToken.
    }
  }
  return details;
}

function parseTags(params: URLSearchParams): { key: string; value: string }[] {
  const tags: { key: string; value: string }[] = [];
  for (let i = 1; params.has(`Tags.member.${i}.Key`) || params.has(`Tags.member.${i}.Value`); i++) {
    tags.push({ key: params.get(`Tags.member.${i}.Key`) ?? '', value: params.get(`Tags.member.${i}.Value`) ?? '' });
  }
  return tags;
}

function memberList(params: URLSearchParams, name: string, suffix: string): string[] {
  const values: string[] = [];
  for (let i = 1; params.has(`${name}.member.${i}${suffix}`); i++) values.push(params.get(`${name}.member.${i}${suffix}`) ?? '');
  return values;
}

/**
 * STS reports how full the packed session policy + tags blob is, in percent. The packing is AWS's
 * own; this approximation only has to grow with the input and stay under 100 for sane requests.
 */
function packedSize(policy: string | undefined, policyArns: readonly string[], tags: readonly { key: string; value: string }[]): number | undefined {
  if (policy === undefined && policyArns.length === 0 && tags.length === 0) return undefined;
  const bytes =
    (policy === undefined ? 0 : JSON.stringify(JSON.parse(policy)).length) +
    policyArns.length * 64 +
    tags.reduce((sum, t) => sum + t.key.length + t.value.length + 4, 0);
  return Math.max(1, Math.ceil((bytes * 100) / 4096));
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function principalTrusted(trust: TrustPolicy, caller: Caller): boolean {
  const callerAccount = caller.kind === 'user' ? caller.account : accountOfArn(caller.session.roleArn);
  return (trust.principals ?? []).some((principal) => {
    if (principal === '*') return true;
    const root = ROOT_ARN.exec(principal);
    if (root !== null) return root[2] === callerAccount;
    if (caller.kind === 'user') return principal === caller.user.arn;
    return principal === caller.session.roleArn || principal === caller.session.arn;
  });
}

/** IAM StringLike: `*` matches any run of characters, `?` exactly one. */
function globMatches(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

function parseRoleArn(arn: string): ParsedRole | undefined {
  const m = ROLE_ARN.exec(arn);
  if (m === null || m[1] === undefined || m[2] === undefined || m[4] === undefined) return undefined;
  return { partition: m[1], account: m[2], name: m[4] };
}

function accountOfArn(arn: string): string {
  return arn.split(':')[4] ?? '';
}

function callerArnOf(caller: Caller): string {
  return caller.kind === 'user' ? caller.user.arn : caller.session.arn;
}

function copyTrust(trust: TrustPolicy): TrustPolicy {
  return {
    ...trust,
    ...(trust.principals ? { principals: [...trust.principals] } : {}),
    ...(trust.oidcSubjects ? { oidcSubjects: [...trust.oidcSubjects] } : {}),
  };
}

function headerValue(req: EmulatorRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(length: number): string {
  return [...randomBytes(length)].map((b) => ID_ALPHABET[b % 32]).join('');
}

/** Stable unique ids ("AROA...", "AIDA...") derived from the ARN, so restarts give the same ids. */
function stableId(prefix: string, arn: string): string {
  const digest = createHash('sha256').update(arn).digest();
  return prefix + [...digest.subarray(0, 17)].map((b) => ID_ALPHABET[b % 32]).join('');
}

function roleIdOf(roleArn: string): string {
  return stableId('AROA', roleArn);
}

function userIdOf(userArn: string): string {
  return stableId('AIDA', userArn);
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function credentialsXml(session: IssuedSession): string {
  return (
    '<Credentials>' +
    `<AccessKeyId>${session.accessKeyId}</AccessKeyId>` +
    `<SecretAccessKey>${escapeXml(session.secretAccessKey)}</SecretAccessKey>` +
    `<SessionToken>${escapeXml(session.sessionToken)}</SessionToken>` +
    `<Expiration>${isoSeconds(session.expiresAt)}</Expiration>` +
    '</Credentials>'
  );
}

function assumedRoleUserXml(session: IssuedSession): string {
  return (
    '<AssumedRoleUser>' +
    `<AssumedRoleId>${escapeXml(session.assumedRoleId)}</AssumedRoleId>` +
    `<Arn>${escapeXml(session.arn)}</Arn>` +
    '</AssumedRoleUser>'
  );
}

function successXml(action: string, members: readonly string[], requestId: string): string {
  return (
    `<${action}Response xmlns="${XMLNS}">\n` +
    `  <${action}Result>\n` +
    members.filter((m) => m !== '').map((m) => `    ${m}\n`).join('') +
    `  </${action}Result>\n` +
    '  <ResponseMetadata>\n' +
    `    <RequestId>${requestId}</RequestId>\n` +
    '  </ResponseMetadata>\n' +
    `</${action}Response>\n`
  );
}

