import { randomUUID } from 'node:crypto';
import type { EmulatorResponse } from './types';

/** Who is to blame, as STS puts it in <Type>: the caller ("Sender") or the service ("Receiver"). */
export type StsErrorType = 'Sender' | 'Receiver';

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * An STS Query-protocol error, shaped as AWS sends it:
 * `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 */
export function stsErrorResponse(init: {
  status: number;
  code: string;
  message: string;
  type?: StsErrorType;
}): EmulatorResponse {
  const requestId = randomUUID();
  const type = init.type ?? (init.status >= 500 ? 'Receiver' : 'Sender');
  const body =
    '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n' +
    '  <Error>\n' +
    `    <Type>${type}</Type>\n` +
    `    <Code>${escapeXml(init.code)}</Code>\n` +
    `    <Message>${escapeXml(init.message)}</Message>\n` +
    '  </Error>\n' +
    `  <RequestId>${requestId}</RequestId>\n` +
    '</ErrorResponse>\n';
  return {
    status: init.status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    body,
  };
}
