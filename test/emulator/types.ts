/**
 * Plug-in contract of the local AWS emulator. One HTTP server on 127.0.0.1 (server.ts) serves
 * every service; each service module (sts.ts, github.ts, sso.ts) handles the requests it owns.
 */
import type { IncomingHttpHeaders } from 'node:http';

export interface EmulatorRequest {
  method: string;
  /** Path without the query string, e.g. "/", "/token", "/federation/credentials". */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface EmulatorResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/**
 * Shared by every service: call counting and fault injection work the same for all of them.
 * `action` is the API operation name: "AssumeRole", "AssumeRoleWithWebIdentity",
 * "GetCallerIdentity", "RegisterClient", "StartDeviceAuthorization", "CreateToken",
 * "GetRoleCredentials", "Logout", "GitHubToken".
 */
export interface ServiceContext {
  /** Counts the call, then applies any injected fault. Returns a response to send instead, or undefined to proceed. */
  begin(action: string, errorFormat: 'sts-xml' | 'json'): Promise<EmulatorResponse | undefined>;
  /** Emulated clock in epoch milliseconds (tests may move it forward). */
  now(): number;
  /**
   * Makes credentials another service issued (the SSO portal's role credentials) known to STS,
   * so that they sign AssumeRole and GetCallerIdentity as the session `arn` of role `roleArn`.
   */
  registerSession?(session: ForeignSession): void;
}

/** Credentials issued outside STS, for STS to accept (see ServiceContext.registerSession). */
export interface ForeignSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAtMs: number;
  /** arn:aws:iam::ACCOUNT:role/PATH/NAME */
  roleArn: string;
  /** arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION */
  arn: string;
}

export interface Service {
  name: string;
  /** Returns undefined when the request is not this service's. */
  handle(req: EmulatorRequest): Promise<EmulatorResponse | undefined>;
}
