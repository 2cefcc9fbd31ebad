/**
 * Run by sdkStderr.integ.test.ts in a child process: obtains one credential and prints its
 * principal on stdout, so the test can check that nothing reached stderr.
 * argv[2] = "rolemap" goes through fromAssumeRole; "bare-sdk" builds an STS client directly
 * (the control case, which shows the warning exists on this Node version).
 */
import { fromAssumeRole } from '../../src/auth/fromAssumeRole';
import { credentialRequest, recordingLogger } from './credentialRequest';

async function main(): Promise<void> {
  if (process.argv[2] === 'bare-sdk') {
    const { STSClient, GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const client = new STSClient({ region: 'us-east-1', maxAttempts: 1 });
    const identity = await client.send(new GetCallerIdentityCommand({}));
    process.stdout.write(`${identity.Arn ?? ''}\n`);
    return;
  }
  const credentials = await fromAssumeRole({ request: credentialRequest({ sourceProfile: 'dev' }), logger: recordingLogger() })();
  process.stdout.write(`${credentials.principalArn}\n`);
}

main().catch((error: unknown) => {
  process.stdout.write(`FAILED ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
