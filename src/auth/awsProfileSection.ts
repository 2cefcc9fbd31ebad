import type { AwsConfigSections } from './sso/readAwsConfig';

/** A profile's section of the AWS config file: `[profile NAME]`, or `[default]` for "default". */
export function awsProfileSection(sections: AwsConfigSections, name: string): Readonly<Record<string, string>> | undefined {
  return sections.get(`profile ${name}`) ?? (name === 'default' ? sections.get('default') : undefined);
}
