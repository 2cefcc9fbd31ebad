import { ROLE_ARN_PATTERN } from '../constants';
import type { Partition, RoleRef } from '../config/types';

/**
 * Turns a role as written (name, path/name, or full ARN) into a RoleRef in the given account
 * and partition. ARNs were validated where they entered (mapping file or user config).
 */
export function roleRefFor(role: string, accountId: string, partition: Partition): RoleRef {
  const arn = ROLE_ARN_PATTERN.exec(role);
  if (arn) return { arn: role, name: arn[4] ?? role };
  return { arn: `arn:${partition}:iam::${accountId}:role/${role}`, name: role.slice(role.lastIndexOf('/') + 1) };
}
