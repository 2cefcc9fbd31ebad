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
  /**
   * Sent in part: the headers promise twice the body, the body is sent, and then the connection
   * is closed ('cut') or stays silent until the emulator closes ('stall').
   */
  partial?: 'cut' | 'stall';
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
   * Makes STS recognise credentials this service issued (the SSO portal's role credentials), so
   * that sts:GetCallerIdentity signed with them answers with their real principal and account.
   */
  registerCredentials?(credentials: IssuedCredentials): void;
}

/** Temporary credentials issued outside STS, as STS must know them to verify their signatures. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** The IAM role behind them, e.g. arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123abcd */
  roleArn: string;
  /** The principal they act as, e.g. arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0123abcd/alice */
  arn: string;
}

export interface Service {
  name: string;
  /** Returns undefined when the request is not this service's. */
  handle(req: EmulatorRequest): Promise<EmulatorResponse | undefined>;
}
