import type { Partition } from '../config/types';
import type { Environment, RequestSettings } from '../resolve/types';

const PARTITION_DEFAULT_REGION: Readonly<Record<Partition, string>> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/**
 * The region STS is called in: the mapping's region, else AWS_REGION, else AWS_DEFAULT_REGION,
 * else the partition's first region (us-east-1 for `aws`).
 */
export function stsRegionFor(request: { settings: Pick<RequestSettings, 'region'>; partition: Partition }, env: Environment): string {
  for (const candidate of [request.settings.region, env['AWS_REGION'], env['AWS_DEFAULT_REGION']]) {
    if (candidate !== undefined && candidate !== '') return candidate;
  }
  return PARTITION_DEFAULT_REGION[request.partition];
}
