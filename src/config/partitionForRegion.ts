import type { Partition } from './types';

/**
 * The AWS partition a region belongs to: `cn-*` is aws-cn, `us-gov-*` is aws-us-gov, any other
 * region (or none, which means the default STS endpoint) is aws.
 */
export function partitionForRegion(region: string | undefined): Partition {
  if (region?.startsWith('cn-') === true) {
    return 'aws-cn';
  }
  if (region?.startsWith('us-gov-') === true) {
    return 'aws-us-gov';
  }
  return 'aws';
}
