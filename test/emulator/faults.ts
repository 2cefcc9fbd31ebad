import { randomUUID } from 'node:crypto';
import { stsErrorResponse } from './stsErrorResponse';
import type { EmulatorResponse } from './types';

export type FaultKind = 'throttle' | 'fail' | 'hang' | 'cut' | 'stall';

export interface Fault {
  kind: FaultKind;
  /** HTTP status for `fail` (500 InternalFailure, 503 ServiceUnavailable, ...). */
  status: number;
}

interface FaultRule extends Fault {
  remaining: number;
  /** Only calls of this action are hit; undefined hits any action. */
  action: string | undefined;
}

/**
 * Faults queued by tests or the control API. Each rule hits the next `n` matching calls, in the
 * order the rules were added.
 */
export class Faults {
  private rules: FaultRule[] = [];

  /** The next `n` calls (of `action`, or of any action) answer Throttling (STS: HTTP 400). */
  throttleNext(n: number, action?: string): void {
    this.add({ kind: 'throttle', status: 400, remaining: n, action });
  }

  /** The next `n` calls answer a server error with this HTTP status (500 by default). */
  failNext(n: number, status = 500, action?: string): void {
    this.add({ kind: 'fail', status, remaining: n, action });
  }

  /** The next `n` calls are accepted and never answered until the emulator closes. */
  hangNext(n: number, action?: string): void {
    this.add({ kind: 'hang', status: 0, remaining: n, action });
  }

  /** The next `n` calls get the start of an answer, and then the connection is closed. */
  cutNext(n: number, action?: string): void {
    this.add({ kind: 'cut', status: 200, remaining: n, action });
  }

  /** The next `n` calls get the start of an answer, and then nothing more until the emulator closes. */
  stallNext(n: number, action?: string): void {
    this.add({ kind: 'stall', status: 200, remaining: n, action });
  }

  /** Drops every queued fault. */
  clear(): void {
    this.rules = [];
  }

  /** How many faulty answers are still queued. */
  pending(): number {
    return this.rules.reduce((sum, rule) => sum + rule.remaining, 0);
  }

  /** Consumes and returns the fault that applies to this call, if any. */
  take(action: string): Fault | undefined {
    const rule = this.rules.find((r) => r.remaining > 0 && (r.action === undefined || r.action === action));
    if (rule === undefined) return undefined;
    rule.remaining -= 1;
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return { kind: rule.kind, status: rule.status };
  }

  private add(rule: FaultRule): void {
    if (!Number.isInteger(rule.remaining) || rule.remaining < 0) {
      throw new RangeError(`fault count must be a non-negative integer, got ${rule.remaining}`);
    }
    if (rule.remaining > 0) this.rules.push(rule);
  }
}

/** The answer a throttle, fail, cut or stall fault gives, in the protocol of the service that was called. */
export function faultResponse(fault: Fault, format: 'sts-xml' | 'json'): EmulatorResponse {
  if (fault.kind === 'cut' || fault.kind === 'stall') {
    // The start of a successful answer, cut before its first secret.
    const body =
      format === 'sts-xml'
        ? '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <AssumeRoleResult>\n    <Credentials>\n'
        : '{"roleCredentials":{';
    const contentType = format === 'sts-xml' ? 'text/xml' : 'application/json';
    return { status: 200, headers: { 'content-type': contentType, 'x-amzn-requestid': randomUUID() }, body, partial: fault.kind };
  }
  if (format === 'sts-xml') {
    if (fault.kind === 'throttle') return stsErrorResponse({ status: 400, code: 'Throttling', message: 'Rate exceeded' });
    return fault.status === 503
      ? stsErrorResponse({ status: 503, code: 'ServiceUnavailable', message: 'Service is unavailable. Please try again later.' })
      : stsErrorResponse({ status: fault.status, code: 'InternalFailure', message: 'An internal error has occurred.' });
  }
  // REST-JSON services (SSO portal, SSO-OIDC) name the error in x-amzn-ErrorType.
  const [status, errorType, message] =
    fault.kind === 'throttle'
      ? [429, 'TooManyRequestsException', 'Rate exceeded']
      : fault.status === 503
        ? [503, 'ServiceUnavailableException', 'Service is unavailable. Please try again later.']
        : [fault.status, 'InternalServerException', 'An internal error has occurred.'];
  return {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': errorType,
      'x-amzn-requestid': randomUUID(),
    },
    body: JSON.stringify({ message }),
  };
}
