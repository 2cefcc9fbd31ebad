import { isOptionalString } from './isOptionalString';
import { isRecord } from './isRecord';
import type { CacheKeyParts } from './types';

type Tags = CacheKeyParts['tags'];
type KeyJson = string | number | null | Array<[string, string]>;

/** How one kind of cache key field is written into the key text, checked on read and copied. */
interface FieldCodec<T> {
  /** The field's value in the canonical key text: a missing value (null) never equals an empty string. */
  canonical(value: T): KeyJson;
  /** Whether a value parsed from a cache file is of this kind. */
  isValid(value: unknown): value is T;
  /** A copy holding nothing but the field's own data, even when the caller passed a wider object. */
  copy(value: T): T;
}

/** The codec of each kind of field. */
interface Codecs {
  string: FieldCodec<string>;
  'optional-string': FieldCodec<string | undefined>;
  integer: FieldCodec<number>;
  tags: FieldCodec<Tags>;
}

/**
 * The kind of a CacheKeyParts field, derived from its type (not distributed over a union), so
 * that a wrong kind does not compile.
 */
type KindOf<T> = [T] extends [Tags] ? 'tags' : [T] extends [number] ? 'integer' : [T] extends [string] ? 'string' : 'optional-string';

function compare(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

const CODECS: Codecs = {
  string: {
    canonical: (value) => value,
    isValid: (value): value is string => typeof value === 'string',
    copy: (value) => value,
  },
  'optional-string': {
    canonical: (value) => value ?? null,
    isValid: isOptionalString,
    copy: (value) => value,
  },
  integer: {
    canonical: (value) => value,
    isValid: (value): value is number => Number.isInteger(value),
    copy: (value) => value,
  },
  tags: {
    // Sorted in plain code-unit order (localeCompare would make the key depend on the machine's
    // locale), so that the order tags were written in does not matter.
    canonical: (tags) =>
      tags
        .map((tag): [string, string] => [tag.Key, tag.Value])
        .sort(([keyA, valueA], [keyB, valueB]) => compare(keyA, keyB) || compare(valueA, valueB)),
    isValid: (value): value is Tags =>
      Array.isArray(value) && value.every((tag: unknown) => isRecord(tag) && typeof tag['Key'] === 'string' && typeof tag['Value'] === 'string'),
    copy: (tags) => tags.map((tag) => ({ Key: tag.Key, Value: tag.Value })),
  },
};

/**
 * The one list of the cache key's fields, in key-text order, each with its kind. The compiler
 * checks it against CacheKeyParts: a field added there and not here (or here with the wrong kind)
 * does not build, so no field can be left out of the key text, the validator or the copy.
 */
const CACHE_KEY_FIELDS: { readonly [K in keyof CacheKeyParts]-?: KindOf<CacheKeyParts[K]> } = {
  partition: 'string',
  accountId: 'string',
  roleArn: 'string',
  sessionName: 'string',
  externalId: 'optional-string',
  sourceIdentity: 'optional-string',
  tags: 'tags',
  authKind: 'string',
  baseIdentity: 'string',
  durationSeconds: 'integer',
  endpoint: 'optional-string',
};

/** One field's name with its codec; the field's value type is erased here and restored by the key. */
export interface CacheKeyField {
  name: keyof CacheKeyParts;
  canonical(parts: CacheKeyParts): KeyJson;
  isValid(record: Readonly<Record<string, unknown>>): boolean;
  /** Copies the field from `from` into `to`. */
  copy(from: CacheKeyParts, to: Record<string, unknown>): void;
}

function fieldOf<K extends keyof CacheKeyParts>(name: K): CacheKeyField {
  // The mapped types above guarantee that CODECS[kind] handles CacheKeyParts[K].
  const codec = CODECS[CACHE_KEY_FIELDS[name]] as unknown as FieldCodec<CacheKeyParts[K]>;
  return {
    name,
    canonical: (parts) => codec.canonical(parts[name]),
    isValid: (record) => codec.isValid(record[name]),
    copy: (from, to) => {
      to[name] = codec.copy(from[name]);
    },
  };
}

/**
 * Every field of CacheKeyParts, in the order of the key text, with how it is written, checked and
 * copied. cacheKey, isCacheKeyParts and copyCacheKeyParts are built from this alone.
 */
export const cacheKeyFields: readonly CacheKeyField[] = (Object.keys(CACHE_KEY_FIELDS) as Array<keyof CacheKeyParts>).map(fieldOf);
