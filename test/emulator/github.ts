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
}

/**
 * GitHub Actions' OIDC token endpoint: `GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=AUD` with
 * `Authorization: bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>` answers `{"value": "<jwt>"}`.
 */
export function createGitHubService(ctx: CallContext, init: GitHubServiceInit): Service & { control: GitHubControl } {
  let subject = init.subject;

  async function handle(req: EmulatorRequest): Promise<EmulatorResponse | undefined> {
    if (req.path !== GITHUB_TOKEN_PATH) return undefined;
    const audience = req.query.get('audience') ?? init.defaultAudience;
    const { fault, entry } = await ctx.beginCall('GitHubToken', 'json', { subject, audience });
    if (fault !== undefined) return fault;
    if (req.method !== 'GET') {
      entry.result = 'MethodNotAllowed';
      return json(405, { message: 'Method Not Allowed' });
    }
    const authorization = req.headers['authorization'];
    const bearer = typeof authorization === 'string' ? /^bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] : undefined;
    if (bearer !== init.requestToken) {
      entry.result = 'Unauthorized';
      return json(401, { message: 'Bad credentials' });
    }
    const value = init.issuer.issue({
      sub: subject,
      aud: audience,
      expiresIn: init.tokenLifetimeSeconds,
      claims: claimsFor(subject),
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
    },
  };
}

/** The extra claims GitHub puts in its tokens, read off the subject where it says them. */
function claimsFor(subject: string): Record<string, unknown> {
  const repository = /^repo:([^:]+\/[^:]+):/.exec(subject)?.[1];
  const ref = /:ref:(.+)$/.exec(subject)?.[1];
  const owner = repository?.split('/')[0];
  return {
    ...(repository === undefined ? {} : { repository, repository_owner: owner }),
    ...(ref === undefined ? {} : { ref }),
    event_name: subject.endsWith(':pull_request') ? 'pull_request' : 'push',
    runner_environment: 'github-hosted',
  };
}

function json(status: number, body: unknown): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
