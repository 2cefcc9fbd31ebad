import { randomBytes } from 'node:crypto';
import type { OidcIssuer } from './oidcIssuer';
import type { CallContext } from './callLog';
import type { EmulatorRequest, EmulatorResponse, Service } from './types';

/** Path of the emulated ACTIONS_ID_TOKEN_REQUEST_URL. */
export const GITHUB_TOKEN_PATH = '/github/token';

export interface GitHubServiceInit {
  issuer: OidcIssuer;
  /** The ACTIONS_ID_TOKEN_REQUEST_TOKEN the endpoint expects as bearer token. */
  requestToken: string;
  /** `sub` of issued tokens, e.g. "repo:acme/infra:ref:refs/heads/main". */
  subject: string;
  /** `aud` when the request names none (GitHub uses the repository owner's URL). */
  defaultAudience: string;
  /** Lifetime of issued tokens in seconds. */
  tokenLifetimeSeconds: number;
}

/** Test-side control of the GitHub endpoint. */
export interface GitHubControl {
  /** `sub` of the tokens issued from now on (e.g. "repo:acme/infra:pull_request"). */
  setSubject(subject: string): void;
  subject(): string;
  /**
   * Adds a job of its own: the endpoint accepts `requestToken` as another
   * ACTIONS_ID_TOKEN_REQUEST_TOKEN and issues tokens with `subject` for it, as GitHub gives each
   * job (each matrix leg, each reusable workflow's job) its own request token and, with
   * `environment:`, its own subject. Returns the job's ACTIONS_ID_TOKEN_REQUEST_TOKEN.
   */
  addJob(subject: string, requestToken?: string): string;
}

/**
 * GitHub Actions' OIDC token endpoint: `GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=AUD` with
 * `Authorization: bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` answers `{"value": "<jwt>"}`.
 */
export function createGitHubService(ctx: CallContext, init: GitHubServiceInit): Service & { control: GitHubControl } {
  let subject = init.subject;
  /** Request tokens of the jobs added by `addJob`, with their subjects. */
  const jobs = new Map<string, string>();

  async function handle(req: EmulatorRequest): Promise<EmulatorResponse | undefined> {
    if (req.path !== GITHUB_TOKEN_PATH) return undefined;
    const audience = req.query.get('audience') ?? init.defaultAudience;
    const authorization = req.headers['authorization'];
    const bearer = typeof authorization === 'string' ? /^bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] : undefined;
    const jobSubject = bearer === undefined ? undefined : jobs.get(bearer);
    const issuedSubject = jobSubject ?? subject;
    const { fault, entry } = await ctx.beginCall('GitHubToken', 'json', { subject: issuedSubject, audience });
    if (fault !== undefined) return fault;
    if (req.method !== 'GET') {
      entry.result = 'MethodNotAllowed';
      return json(405, { message: 'Method Not Allowed' });
    }
    if (bearer !== init.requestToken && jobSubject === undefined) {
      entry.result = 'Unauthorized';
      return json(401, { message: 'Bad credentials' });
    }
    const value = init.issuer.issue({
      sub: issuedSubject,
      aud: audience,
      expiresIn: init.tokenLifetimeSeconds,
      claims: claimsFor(issuedSubject),
    });
    entry.result = 'ok';
    return json(200, { count: 1, value });
  }

  return {
    name: 'github',
    handle,
    control: {
      setSubject(next) {
        subject = next;
      },
      subject: () => subject,
      addJob(jobSubject, requestToken = randomBytes(24).toString('hex')) {
        jobs.set(requestToken, jobSubject);
        return requestToken;
      },
    },
  };
}

/** The extra claims GitHub puts in its tokens, read off the subject where it says them. */
function claimsFor(subject: string): Record<string, unknown> {
  const repository = /^repo:([^:]+\/[^:]+):/.exec(subject)?.[1];
  const ref = /:ref:(.+)$/.exec(subject)?.[1];
  const environment = /:environment:(.+)$/.exec(subject)?.[1];
  const owner = repository?.split('/')[0];
  return {
    ...(repository === undefined ? {} : { repository, repository_owner: owner }),
    ...(ref === undefined ? {} : { ref }),
    ...(environment === undefined ? {} : { environment }),
    event_name: subject.endsWith(':pull_request') ? 'pull_request' : 'push',
    runner_environment: 'github-hosted',
  };
}

function json(status: number, body: unknown): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
