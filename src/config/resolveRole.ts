import { ROLE_ARN_PATTERN, ROLE_NAME_PATTERN } from '../constants';
import type { Partition, RoleRef } from './types';

export type RoleResolution = { ok: true; role: RoleRef } | { ok: false; message: string; hint: string };

export interface RoleContext {
  accountId: string;
  accountName: string | undefined;
  partition: Partition;
  region: string | undefined;
}

/**
 * Resolves a role as written in a mapping (`name`, `path/name` or a full ARN) to a RoleRef in the
 * mapping's account and partition. A full ARN must name that same account and partition: a role
 * in another account would be assumed with the wrong mapping's settings, and a partition that
 * does not fit the region sends the request to an STS endpoint that cannot know the role.
 *
 * @example resolveRole('team/deploy', {accountId: '111111111111', partition: 'aws', ...})
 *   // {ok: true, role: {arn: 'arn:aws:iam::111111111111:role/team/deploy', name: 'deploy'}}
 */
export function resolveRole(written: string, context: RoleContext): RoleResolution {
  const { accountId, partition } = context;
  if (written.startsWith('arn:')) {
    const match = ROLE_ARN_PATTERN.exec(written);
    if (match === null) {
      return {
        ok: false,
        message: `"${written}" is not an IAM role ARN`,
        hint: `write arn:${partition}:iam::${accountId}:role/NAME, or just the role name`,
      };
    }
    const [, arnPartition = '', arnAccount = '', , name = ''] = match;
    if (arnAccount !== accountId) {
      const account = context.accountName === undefined ? accountId : `${accountId} (${context.accountName})`;
      return {
        ok: false,
        message: `role ARN is in account ${arnAccount}, but the mapping's account is ${account}`,
        hint: `write the role name alone ("${name}") so that it resolves in the mapping's account, or change \`account\``,
      };
    }
    if (arnPartition !== partition) {
      const region =
        context.region === undefined ? 'sets no region, which means' : `has region ${context.region}, in`;
      return {
        ok: false,
        message: `role ARN is in partition ${arnPartition}, but the mapping ${region} partition ${partition}`,
        hint: `set \`region\` to a region of ${arnPartition} (${exampleRegion(arnPartition)}), or fix the ARN's partition`,
      };
    }
    return { ok: true, role: { arn: written, name } };
  }
  if (written.startsWith('/')) {
    return {
      ok: false,
      message: `role "${written}" starts with "/"`,
      hint: `write the IAM path without slashes around it: "${written.replace(/^\/+/, '')}"`,
    };
  }
  if (!ROLE_NAME_PATTERN.test(written)) {
    return {
      ok: false,
      message: `"${written}" is not a valid role name`,
      hint: 'a role name has up to 64 letters, digits and +=,.@_- characters, optionally after an IAM path ("team/terragrunt"), or write a full role ARN',
    };
  }
  const name = written.slice(written.lastIndexOf('/') + 1);
  return { ok: true, role: { arn: `arn:${partition}:iam::${accountId}:role/${written}`, name } };
}

function exampleRegion(partition: string): string {
  if (partition === 'aws-cn') {
    return 'e.g. cn-north-1';
  }
  if (partition === 'aws-us-gov') {
    return 'e.g. us-gov-west-1';
  }
  return 'e.g. us-east-1';
}
