import { SETTING_NAMES, SETTINGS, type JsonSchema, type JsonValue } from './mappingSettings';

type JsonObject = { readonly [key: string]: JsonValue };

const isObject = (value: JsonValue | undefined): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function objectAt(value: JsonValue | undefined, ...steps: string[]): JsonObject {
  let current = value;
  for (const step of steps) {
    current = isObject(current) ? current[step] : undefined;
  }
  if (!isObject(current)) throw new Error(`settingsSchema: the schema has no object at ${steps.join('.')}`);
  return current;
}

/** A copy of `object` with `replacement` at the end of the path of object keys `steps`. */
function replaceAt(object: JsonObject, steps: readonly string[], replacement: JsonValue): JsonObject {
  const [step, ...rest] = steps;
  if (step === undefined) throw new Error('settingsSchema: empty path');
  return { ...object, [step]: rest.length === 0 ? replacement : replaceAt(objectAt(object, step), rest, replacement) };
}

/** A setting's schema as it stands in `$defs`: its declared schema, with a string or number default. */
function definition(name: (typeof SETTING_NAMES)[number]): JsonSchema {
  const declaration = SETTINGS[name];
  const builtIn = declaration.default;
  return typeof builtIn === 'string' || typeof builtIn === 'number' ? { ...declaration.schema, default: builtIn } : declaration.schema;
}

const ref = (key: string): JsonObject => ({ $ref: `#/$defs/${key}` });

/** A property that is nothing but a reference to the `$defs` entry of its own name: a setting's place. */
const isSettingRef = ([key, value]: [string, JsonValue]): boolean =>
  isObject(value) && Object.keys(value).length === 1 && value['$ref'] === `#/$defs/${key}`;

/** Every `$ref` target in `value`. */
function refsIn(value: JsonValue, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) refsIn(item, found);
  } else if (isObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '$ref' && typeof inner === 'string') found.add(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

/**
 * schema/rolemap.schema.json with its settings as config/mappingSettings.ts declares them: the
 * `$defs` entry of each, the properties of `defaults` and of a mapping (whose other keys stay
 * first, as they are), and no `$defs` entry left that nothing refers to (a setting removed).
 */
export function mappingFileSchema(current: JsonObject): JsonObject {
  const settingRefs = Object.fromEntries(SETTING_NAMES.map((name) => [SETTINGS[name].key, ref(SETTINGS[name].key)]));
  let schema = replaceAt(current, ['properties', 'defaults', 'properties'], settingRefs);
  const mappingProperties = Object.entries(objectAt(schema, '$defs', 'mapping', 'properties')).filter((entry) => !isSettingRef(entry));
  schema = replaceAt(schema, ['$defs', 'mapping', 'properties'], { ...Object.fromEntries(mappingProperties), ...settingRefs });
  const defs: Record<string, JsonValue> = { ...objectAt(schema, '$defs') };
  for (const name of SETTING_NAMES) defs[SETTINGS[name].key] = definition(name);
  const used = refsIn({ ...schema, $defs: defs });
  const kept = Object.entries(defs).filter(([key]) => used.has(`#/$defs/${key}`));
  return { ...schema, $defs: Object.fromEntries(kept) };
}

/**
 * schema/rolemap-user-config.schema.json with the settings an `overrides` entry may set
 * (`userOverride` in their declaration) as declared, after its other keys; an entry must set at
 * least one of `role` and those settings.
 */
export function userConfigSchema(current: JsonObject): JsonObject {
  const item = objectAt(current, 'properties', 'overrides', 'items');
  const settingKeys = new Set<string>(SETTING_NAMES.map((name) => SETTINGS[name].key));
  const others = Object.entries(objectAt(item, 'properties')).filter(([key]) => !settingKeys.has(key));
  const overridable = SETTING_NAMES.flatMap((name) => {
    const { key, schema, userOverride } = SETTINGS[name];
    if (userOverride === undefined) return [];
    const rest = Object.fromEntries(Object.entries(schema).filter(([keyword]) => !['description', 'default', 'examples'].includes(keyword)));
    return [[key, { description: userOverride.description, ...rest }] as const];
  });
  return replaceAt(current, ['properties', 'overrides', 'items'], {
    ...item,
    anyOf: ['role', ...overridable.map(([key]) => key)].map((key) => ({ required: [key] })),
    properties: { ...Object.fromEntries(others), ...Object.fromEntries(overridable) },
  });
}
