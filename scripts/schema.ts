/**
 * `npm run schema`: rewrites the JSON Schemas in schema/ (published for editors) with the mapping
 * settings as src/config/mappingSettings.ts declares them. With `--check`, writes nothing and exits
 * 1 when a file differs. test/config/mappingSettings.test.ts makes the same comparison.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { JsonValue } from '../src/config/mappingSettings';
import { mappingFileSchema, userConfigSchema } from '../src/config/settingsSchema';

type JsonObject = { readonly [key: string]: JsonValue };

const isObject = (value: JsonValue): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

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

/** Widest line the formatter joins a small object or list into. */
const LINE_WIDTH = 120;

/**
 * JSON as the files in schema/ are written: two-space indents, and an object or list that fits
 * on one line (within LINE_WIDTH) written on one line, `{ "a": 1 }`, `["a", "b"]`.
 */
function formatSchema(value: JsonValue): string {
  return `${format(value, '', 0)}\n`;
}

function oneLine(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(oneLine).join(', ')}]`;
  if (isObject(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, inner]) => `${JSON.stringify(key)}: ${oneLine(inner)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

/** `value` at `indent`, its first line starting after `prefix` characters (a key). */
function format(value: JsonValue, indent: string, prefix: number): string {
  const flat = oneLine(value);
  if (indent.length + prefix + flat.length <= LINE_WIDTH) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    return `[\n${value.map((item) => `${inner}${format(item, inner, 0)}`).join(',\n')}\n${indent}]`;
  }
  if (!isObject(value)) return flat;
  const lines = Object.entries(value).map(([key, item]) => {
    const head = `${JSON.stringify(key)}: `;
    return `${inner}${head}${format(item, inner, head.length)}`;
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
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
