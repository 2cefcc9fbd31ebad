import { CredentialsError } from '../../src/errors';

/** The CredentialsError `promise` rejects with; fails the test if it resolves or rejects otherwise. */
export async function credentialsFailure(promise: Promise<unknown>): Promise<CredentialsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CredentialsError)) throw new Error(`expected a CredentialsError, got ${String(error)}`);
  return error;
}
