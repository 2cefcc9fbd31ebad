import { parseArgs } from 'node:util';

/**
 * node:util's argument parser, behind a slow-path boundary: Terragrunt's call has no arguments
 * and never needs it, and the hot bundle must not reach node:util (scripts/build.mjs checks).
 */
export const parseNodeArgs: typeof parseArgs = parseArgs;
