/**
 * `npm run schema`: rewrites the JSON Schemas in schema/ (published for editors) with the mapping
 * settings as src/config/mappingSettings.ts declares them. With `--check`, writes nothing and exits
 * 1 when a file differs. test/config/mappingSettings.test.ts makes the same comparison.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonValue } from '../src/config/mappingSettings';
import { formatSchema, mappingFileSchema, userConfigSchema } from '../src/config/settingsSchema';

type JsonObject = { readonly [key: string]: JsonValue };

/** Each schema file, relative to the repository, and how its declared form is made from its text. */
export const SCHEMA_FILES: ReadonlyArray<{ file: string; generate: (current: JsonObject) => JsonObject }> = [
  { file: 'schema/rolemap.schema.json', generate: mappingFileSchema },
  { file: 'schema/rolemap-user-config.schema.json', generate: userConfigSchema },
];

/** The text a schema file should have, given the text it has. */
export function declaredSchemaText(file: string, text: string): string {
  const entry = SCHEMA_FILES.find((candidate) => candidate.file === file);
  if (entry === undefined) throw new Error(`${file} is not a schema file`);
  return formatSchema(entry.generate(JSON.parse(text) as JsonObject));
}

function main(): void {
  const check = process.argv.includes('--check');
  const root = path.join(__dirname, '..');
  let differs = false;
  for (const { file } of SCHEMA_FILES) {
    const absolute = path.join(root, file);
    const text = fs.readFileSync(absolute, 'utf8');
    const declared = declaredSchemaText(file, text);
    if (declared === text) continue;
    differs = true;
    if (check) {
      process.stderr.write(`${file} differs from the declared settings; run npm run schema\n`);
    } else {
      fs.writeFileSync(absolute, declared);
      process.stderr.write(`wrote ${file}\n`);
    }
  }
  if (check && differs) process.exitCode = 1;
}

if (require.main === module) main();
