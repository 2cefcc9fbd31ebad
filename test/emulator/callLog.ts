import type { EmulatorResponse, ServiceContext } from './types';

/** What the emulator remembers about one call, for tests to assert on. Secrets are never kept. */
export interface CallDetails {
  roleArn?: string;
  sessionName?: string;
  sourceIdentity?: string;
  externalId?: string;
  tags?: Record<string, string>;
  durationSeconds?: number;
  /** SerialNumber of the MFA device sent with GetSessionToken or AssumeRole (the code is never kept). */
  serialNumber?: string;
  /** ARN of the signed caller (IAM user, or assumed-role session ARN); absent for unsigned calls. */
  callerArn?: string;
  /** `sub` of the web identity token presented, or of the token GitHub issued. */
  subject?: string;
  /** `aud` of the web identity token presented, or requested from GitHub. */
  audience?: string;
}

export interface CallLogEntry extends CallDetails {
  action: string;
  /** Emulated time of the call, epoch milliseconds. */
  at: number;
  /** "ok", the error code answered ("AccessDenied", "Throttling", ...), or "hang". Absent while in flight. */
  result?: string;
}

/** Counts and remembers every call, in arrival order. */
export class CallLog {
  private log: CallLogEntry[] = [];

  /** Appends a call and returns its entry, which the service completes with `result`. */
  record(action: string, details: CallDetails, at: number): CallLogEntry {
    const entry: CallLogEntry = { action, at, ...details };
    this.log.push(entry);
    return entry;
  }

  /** Number of calls of `action`, or of all calls when omitted. */
  count(action?: string): number {
    return action === undefined ? this.log.length : this.log.filter((e) => e.action === action).length;
  }

  /** Calls per action. */
  counts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const entry of this.log) counts[entry.action] = (counts[entry.action] ?? 0) + 1;
    return counts;
  }

  /** A copy of the log. */
  entries(): CallLogEntry[] {
    return this.log.map((e) => ({ ...e, ...(e.tags ? { tags: { ...e.tags } } : {}) }));
  }

  reset(): void {
    this.log = [];
  }
}

/** The context built-in services get: `begin` plus the call's details for the log. */
export interface CallContext extends ServiceContext {
  /** Counts and logs the call with its details, then applies any fault: `fault` is the response to send instead. */
  beginCall(
    action: string,
    format: 'sts-xml' | 'json',
    details: CallDetails,
  ): Promise<{ fault: EmulatorResponse | undefined; entry: CallLogEntry }>;
}
