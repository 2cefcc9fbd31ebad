/**
 * Closes an AWS SDK client once its answer has been taken: on the next turn of the event loop,
 * not on the way to printing. Closing the SDK's keep-alive agent costs a cache miss about half a
 * millisecond, and the command line exits right after printing, which closes the connection
 * anyway; callers in a longer-lived process (tests) still get every client closed.
 */
export function closeSoon(client: { destroy(): void }): void {
  setImmediate(() => client.destroy());
}
