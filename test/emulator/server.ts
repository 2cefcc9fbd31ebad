import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog, type CallContext, type CallDetails, type CallLogEntry } from './callLog';
import { faultResponse, Faults } from './faults';
import { createGitHubService, GITHUB_TOKEN_PATH, type GitHubControl } from './github';
import { EKS_ISSUER, GITHUB_ISSUER, GITLAB_ISSUER, OidcIssuer, type IssueTokenInit } from './oidcIssuer';
import { DEFAULT_SEED, SEED_GITHUB_SUBJECT, type EmulatorSeed } from './seed';
import { createStsService, type EmulatedRole, type EmulatedUser, type TrustPolicyUpdate } from './sts';
import type { EmulatorRequest, EmulatorResponse, Service, ServiceContext } from './types';

export interface StartEmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Users and roles to start with; DEFAULT_SEED when omitted. */
  seed?: EmulatorSeed;
  /** More services (e.g. SSO), tried after the built-in STS and GitHub ones. */
  services?: ((ctx: ServiceContext) => Service)[];
  github?: {
    /** `sub` of the tokens the GitHub endpoint issues; default SEED_GITHUB_SUBJECT. */
    subject?: string;
    /** Expected ACTIONS_ID_TOKEN_REQUEST_TOKEN; random by default. */
    requestToken?: string;
    /** `aud` when the request has no `audience`; default "https://github.com/acme". */
    defaultAudience?: string;
    /** Lifetime of GitHub tokens; default 300 seconds. */
    tokenLifetimeSeconds?: number;
  };
  /** Token issuers with an OIDC provider in every account; default GitHub's, GitLab's and an EKS cluster's. */
  oidcProviders?: string[];
  /** Emulated time at start, epoch ms; default the real time. */
  startTime?: number;
}

/** What a process needs in its environment to talk to the emulator. */
export interface EmulatorEnv {
  AWS_ENDPOINT_URL_STS: string;
  AWS_ENDPOINT_URL_SSO_OIDC: string;
  AWS_ENDPOINT_URL_SSO: string;
  ACTIONS_ID_TOKEN_REQUEST_URL: string;
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: string;
}

export interface Emulator {
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly port: number;
  env(): EmulatorEnv;
  /** Stops the server; hung requests are dropped. */
  close(): Promise<void>;
  /** Calls of `action` ("AssumeRole", "GitHubToken", ...) so far, or of all actions. */
  calls(action?: string): number;
  /** Calls per action. */
  callCounts(): Record<string, number>;
  callLog(): CallLogEntry[];
  resetCalls(): void;
  readonly faults: Faults;
  addUser(user: EmulatedUser): void;
  addRole(role: EmulatedRole): void;
  /** Changes trust fields of a role; a field set to undefined is removed. */
  updateRole(arn: string, trust: TrustPolicyUpdate): void;
  removeRole(arn: string): void;
  role(arn: string): EmulatedRole | undefined;
  readonly misbehave: {
    /** AssumedRoleUser.Arn of this role's new sessions will name another account. */
    wrongAccountFor(roleArn: string, account?: string): void;
    /** This role's new sessions expire `seconds` after issue (negative: already expired); undefined undoes it. */
    lifetimeFor(roleArn: string, seconds: number | undefined): void;
    clear(): void;
  };
  /** Moves the emulated clock (credential expiry, token expiry) forward. */
  advanceClock(seconds: number): void;
  /** Emulated time, epoch ms. */
  now(): number;
  /** A web identity token signed by the emulator (GitHub issuer unless `iss` says otherwise). */
  issueToken(init: IssueTokenInit): string;
  readonly github: GitHubControl;
  /** The services built from `options.services`, in that order. */
  readonly services: readonly Service[];
}

const CONTROL_PREFIX = '/_emulator/';

/**
 * Starts the local AWS emulator: STS (Query protocol), the GitHub Actions OIDC token endpoint,
 * any extra services, and a control API under /_emulator/, on one HTTP server on 127.0.0.1.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  let clockOffsetMs = options.startTime === undefined ? 0 : options.startTime - Date.now();
  const now = (): number => Date.now() + clockOffsetMs;
  const callLog = new CallLog();
  const faults = new Faults();
  const hung = new Set<() => void>();
  let closing = false;

  const ctx: CallContext = {
    now,
    async begin(action, format) {
      return (await ctx.beginCall(action, format, {})).fault;
    },
    async beginCall(action, format, details: CallDetails) {
      const entry = callLog.record(action, details, now());
      const fault = faults.take(action);
      if (fault === undefined) return { fault: undefined, entry };
      if (fault.kind === 'hang') {
        entry.result = 'hang';
        await new Promise<void>((resolve) => (closing ? resolve() : hung.add(resolve)));
        // The connection is gone by now; this answer is never seen.
        return { fault: { status: 503, body: '' }, entry };
      }
      const response = faultResponse(fault, format);
      entry.result = fault.kind === 'throttle' ? 'Throttling' : fault.kind === 'fail' ? `HTTP ${response.status}` : fault.kind;
      return { fault: response, entry };
    },
  };

  const issuer = new OidcIssuer(now);
  const sts = createStsService(ctx, { issuer, oidcProviders: options.oidcProviders ?? [GITHUB_ISSUER, GITLAB_ISSUER, EKS_ISSUER] });
  const requestToken = options.github?.requestToken ?? randomBytes(24).toString('hex');
  const github = createGitHubService(ctx, {
    issuer,
    requestToken,
    subject: options.github?.subject ?? SEED_GITHUB_SUBJECT,
    defaultAudience: options.github?.defaultAudience ?? 'https://github.com/acme',
    tokenLifetimeSeconds: options.github?.tokenLifetimeSeconds ?? 300,
  });
  const extraContext: ServiceContext = {
    now,
    begin: (action, format) => ctx.begin(action, format),
    registerCredentials: (credentials) => sts.control.registerCredentials(credentials),
  };
  const extras = (options.services ?? []).map((make) => make(extraContext));
  const services: Service[] = [sts, github, ...extras];

  const seed = options.seed ?? DEFAULT_SEED;
  for (const user of seed.users) sts.control.addUser(user);
  for (const role of seed.roles) sts.control.addRole(role);

  const advanceClock = (seconds: number): void => {
    clockOffsetMs += seconds * 1000;
  };

  async function control(req: EmulatorRequest): Promise<EmulatorResponse> {
    const route = `${req.method} ${req.path.slice(CONTROL_PREFIX.length - 1)}`;
    const input = req.body.length === 0 ? {} : (JSON.parse(req.body.toString('utf8')) as Record<string, unknown>);
    switch (route) {
      case 'GET /calls':
        return json(200, { counts: callLog.counts(), log: callLog.entries() });
      case 'POST /reset':
        callLog.reset();
        faults.clear();
        return json(200, { ok: true });
      case 'POST /faults': {
        const action = optionalString(input['action']);
        if (input['clear'] === true) faults.clear();
        const status = typeof input['status'] === 'number' ? input['status'] : 500;
        if (typeof input['throttle'] === 'number') faults.throttleNext(input['throttle'], action);
        if (typeof input['fail'] === 'number') faults.failNext(input['fail'], status, action);
        if (typeof input['hang'] === 'number') faults.hangNext(input['hang'], action);
        if (typeof input['cut'] === 'number') faults.cutNext(input['cut'], action);
        if (typeof input['stall'] === 'number') faults.stallNext(input['stall'], action);
        return json(200, { pending: faults.pending() });
      }
      case 'POST /roles/trust': {
        const { arn, ...trust } = input;
        if (typeof arn !== 'string' || sts.control.role(arn) === undefined) return json(404, { message: `no such role: ${String(arn)}` });
        sts.control.updateRole(arn, trust as TrustPolicyUpdate);
        return json(200, { role: sts.control.role(arn) });
      }
      case 'POST /roles/lifetime': {
        const { arn, seconds } = input;
        if (typeof arn !== 'string' || sts.control.role(arn) === undefined) return json(404, { message: `no such role: ${String(arn)}` });
        if (seconds !== undefined && typeof seconds !== 'number') return json(400, { message: 'seconds must be a number' });
        sts.control.lifetimeFor(arn, seconds);
        return json(200, { arn, seconds: seconds ?? null });
      }
      case 'POST /clock': {
        const seconds = input['advanceSeconds'];
        if (typeof seconds !== 'number') return json(400, { message: 'advanceSeconds must be a number' });
        advanceClock(seconds);
        return json(200, { now: new Date(now()).toISOString() });
      }
      case 'POST /token': {
        const sub = input['sub'];
        if (typeof sub !== 'string') return json(400, { message: 'sub must be a string' });
        const aud = optionalString(input['aud']);
        const iss = optionalString(input['iss']);
        const expiresIn = typeof input['expiresIn'] === 'number' ? input['expiresIn'] : undefined;
        const token = issuer.issue({
          sub,
          ...(aud === undefined ? {} : { aud }),
          ...(iss === undefined ? {} : { iss }),
          ...(expiresIn === undefined ? {} : { expiresIn }),
        });
        return json(200, { token });
      }
      default:
        return json(404, { message: `unknown control route ${route}` });
    }
  }

  async function respond(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const req: EmulatorRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: Buffer.concat(chunks),
    };
    let response: EmulatorResponse | undefined;
    if (req.path.startsWith(CONTROL_PREFIX)) {
      response = await control(req);
    } else {
      for (const service of services) {
        response = await service.handle(req);
        if (response !== undefined) break;
      }
    }
    response ??= json(404, { message: `no emulated service answers ${req.method} ${req.path}` });
    if (outgoing.destroyed) return;
    const body = Buffer.from(response.body, 'utf8');
    if (response.partial !== undefined) {
      outgoing.writeHead(response.status, { ...response.headers, 'content-length': String(2 * body.length) });
      // A stalled answer's socket is closed by close() (closeAllConnections).
      outgoing.write(body, () => {
        if (response.partial === 'cut') outgoing.socket?.destroy();
      });
      return;
    }
    outgoing.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
    outgoing.end(body);
  }

  const server = createServer((incoming, outgoing) => {
    respond(incoming, outgoing).catch((error: unknown) => {
      if (outgoing.headersSent || outgoing.destroyed) return;
      const message = error instanceof Error ? error.message : String(error);
      outgoing.writeHead(500, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ message: `emulator error: ${message}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    env: () => ({
      AWS_ENDPOINT_URL_STS: url,
      AWS_ENDPOINT_URL_SSO_OIDC: url,
      AWS_ENDPOINT_URL_SSO: url,
      // GitHub's real URL already carries a query string; clients append "&audience=...".
      ACTIONS_ID_TOKEN_REQUEST_URL: `${url}${GITHUB_TOKEN_PATH}?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
    }),
    async close() {
      closing = true;
      for (const release of hung) release();
      hung.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    calls: (action) => callLog.count(action),
    callCounts: () => callLog.counts(),
    callLog: () => callLog.entries(),
    resetCalls: () => callLog.reset(),
    faults,
    addUser: (user) => sts.control.addUser(user),
    addRole: (role) => sts.control.addRole(role),
    updateRole: (arn, trust) => sts.control.updateRole(arn, trust),
    removeRole: (arn) => sts.control.removeRole(arn),
    role: (arn) => sts.control.role(arn),
    misbehave: {
      wrongAccountFor: (roleArn, account) => sts.control.wrongAccountFor(roleArn, account),
      lifetimeFor: (roleArn, seconds) => sts.control.lifetimeFor(roleArn, seconds),
      clear: () => sts.control.behave(),
    },
    advanceClock,
    now,
    issueToken: (init) => issuer.issue(init),
    github: github.control,
    services: extras,
  };
}

function json(status: number, body: unknown): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
