import { nearestWord } from './nearestWord';
import { REGION_PATTERN } from './configPatterns';
import type { Field, YamlReader } from './YamlReader';
import { writeAs } from './writeAs';

const COMMON_REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-central-1'];

/** Reads an AWS region name such as `us-east-1`, `cn-north-1` or `us-gov-west-1`. */
export function readRegion(reader: YamlReader, field: Field): string | undefined {
  const region = reader.string(field, 'us-east-1');
  if (region === undefined) {
    return undefined;
  }
  if (REGION_PATTERN.test(region)) {
    return region;
  }
  const near = nearestWord(region.toLowerCase(), COMMON_REGIONS);
  reader.report(
    field.at,
    `\`${field.label}\` "${region}" is not an AWS region name`,
    near === undefined
      ? `write a region such as ${writeAs(field, 'us-east-1')}, eu-central-1, cn-north-1 or us-gov-west-1`
      : `did you mean ${writeAs(field, near)}?`,
  );
  return undefined;
}
