import {
  LineCounter,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  type Document,
  type ParsedNode,
} from 'yaml';
import { MAX_YAML_ALIAS_EXPANSION, MAX_YAML_DEPTH } from '../constants';
import { ConfigError, type SourcePosition } from '../errors';
import { nearestWord } from './nearestWord';
import { writeAs } from './writeAs';

/** One value in the file, with where to point at it. */
export interface Field {
  /** Where it sits, for messages: `mappings[1].role.plan`. Empty for the document itself. */
  label: string;
  /** The value, aliases resolved; undefined when nothing was written after the key. */
  node: ParsedNode | undefined;
  /** Offset that problems with this value point at: the value, or its key when it is empty. */
  at: number;
}

export interface Problem {
  at: number;
  message: string;
  hint: string;
}

/** Friendlier words for the yaml package's error codes that users meet most. */
const YAML_ERROR_HINTS: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: 'remove one of the two entries, or merge them into one',
  MULTIPLE_DOCS: 'remove the "---" line: a rolemap file holds one YAML document',
  TAG_RESOLVE_FAILED: 'remove the "!tag": rolemap files use plain YAML values',
  BAD_INDENT: 'indent nested keys by the same number of spaces, and close every "[" and "{"',
  MISSING_CHAR: 'close every "[" and "{", and quote values that contain ": " or " #"',
};
const TOO_DEEP_MESSAGE = `values are nested more than ${MAX_YAML_DEPTH} levels deep`;
const TOO_DEEP_HINT = 'a rolemap file nests a few levels; check for unclosed "[" or "{", or a runaway indentation';
const DEFAULT_YAML_HINT =
  'fix the YAML syntax; quote values that contain ": " or " #" or start with "{", "[", "*", "&", "!", "|", ">", "@" or "%"';

/**
 * Reads a YAML document for the config compilers: typed access to values that reports every
 * problem with the position of the offending node, collected so that one run shows them all.
 * Holds the state of one compile only.
 */
export class YamlReader {
  private readonly problems: Problem[] = [];
  /** Per result of keys(): the valid keys that an unknown key was taken for (a likely typo). */
  private readonly suggested = new WeakMap<ReadonlyMap<string, Field>, Set<string>>();

  private constructor(
    readonly file: string,
    private readonly doc: Document.Parsed,
    private readonly lineCounter: LineCounter,
  ) {}

  /**
   * Parses `text`. YAML syntax errors (duplicate keys included) throw a ConfigError at once:
   * nothing else can be checked reliably in a document that did not parse.
   */
  static parse(text: string, file: string): YamlReader {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const reader = new YamlReader(file, doc, lineCounter);
    // After one syntax error the parser's later complaints are mostly its consequences (a missing
    // "]" yields one per following line), so only the first is reported, with a count of the rest.
    const syntaxErrors = [];
    for (const error of [...doc.errors, ...doc.warnings]) {
      const at = error.pos[0];
      // The parser's own guard (it ran out of stack): said in words, not as "Maximum call stack size exceeded".
      if (error.code === 'RESOURCE_EXHAUSTION') reader.report(at, TOO_DEEP_MESSAGE, TOO_DEEP_HINT);
      else if (error.code === 'DUPLICATE_KEY') reader.report(at, `duplicate key "${keyTextAt(text, at)}"`, YAML_ERROR_HINTS[error.code] ?? DEFAULT_YAML_HINT);
      else if (error.code === 'MULTIPLE_DOCS') reader.report(at, 'the file holds more than one YAML document', YAML_ERROR_HINTS[error.code] ?? DEFAULT_YAML_HINT);
      else syntaxErrors.push(error);
    }
    syntaxErrors.sort((a, b) => a.pos[0] - b.pos[0]);
    const [first] = syntaxErrors;
    if (first !== undefined) {
      const rest = syntaxErrors.length - 1;
      const more = rest === 0 ? '' : ` (and ${rest} more after it, most likely caused by this one)`;
      reader.report(first.pos[0], `YAML syntax error: ${first.message}${more}`, YAML_ERROR_HINTS[first.code] ?? DEFAULT_YAML_HINT);
    }
    reader.throwIfProblems();
    reader.checkSize();
    reader.throwIfProblems();
    return reader;
  }

  /**
   * Refuses values nested deeper than MAX_YAML_DEPTH and aliases that together add more than
   * MAX_YAML_ALIAS_EXPANSION values: every alias is read as a copy of its anchor, so a few
   * hundred bytes of nested aliases could otherwise make millions of values to check and store.
   */
  private checkSize(): void {
    const sizes = new Map<unknown, number>();
    let expansion = 0;
    let stopped = false;
    /** The number of values `node` stands for, aliases expanded; reports the first excess. */
    const size = (node: unknown, depth: number): number => {
      if (stopped) return 0;
      if (depth > MAX_YAML_DEPTH) {
        stopped = true;
        this.report(asParsedNode(node)?.range[0] ?? 0, TOO_DEEP_MESSAGE, TOO_DEEP_HINT);
        return 0;
      }
      if (isAlias(node)) {
        const target = node.resolve(this.doc);
        // An alias inside its own anchor would be endless; the reader reports it as undefined.
        if (target === undefined || sizes.get(target) === -1) return 1;
        const counted = sizes.get(target) ?? size(target, depth);
        expansion += counted;
        if (expansion > MAX_YAML_ALIAS_EXPANSION && !stopped) {
          stopped = true;
          this.report(
            asParsedNode(node)?.range[0] ?? 0,
            `YAML aliases in this file expand to more than ${MAX_YAML_ALIAS_EXPANSION} values`,
            'write the repeated values out, or use fewer aliases (`*name`) of large anchors (`&name`)',
          );
        }
        return counted;
      }
      let total = 1;
      if (isMap(node) || isSeq(node)) {
        sizes.set(node, -1);
        for (const item of node.items) {
          if (isMap(node)) {
            const pair = item as { key: unknown; value: unknown };
            total += size(pair.key, depth + 1) + size(pair.value, depth + 1);
          } else {
            total += size(item, depth + 1);
          }
        }
        sizes.set(node, total);
      }
      return total;
    };
    size(this.doc.contents, 0);
  }

  /** The document's top-level value. */
  root(): Field {
    const node = this.doc.contents ?? undefined;
    return { label: '', node: node === undefined ? undefined : this.deref(node), at: node?.range[0] ?? 0 };
  }

  report(at: number, message: string, hint: string): void {
    this.problems.push({ at, message, hint });
  }

  position(at: number): SourcePosition {
    const { line, col } = this.lineCounter.linePos(at);
    return { file: this.file, line, column: col };
  }

  /** Throws one ConfigError for all problems so far, earliest in the file first. */
  throwIfProblems(): void {
    if (this.problems.length === 0) {
      return;
    }
    const seen = new Set<string>();
    const unique = this.problems
      .map((problem, order) => ({ ...problem, order }))
      .sort((a, b) => a.at - b.at || a.order - b.order)
      .filter((problem) => {
        const key = `${problem.at}\u0000${problem.message}`;
        const fresh = !seen.has(key);
        seen.add(key);
        return fresh;
      });
    const [first, ...rest] = unique.map((problem) => ({
      message: problem.message,
      position: this.position(problem.at),
      hint: problem.hint,
    }));
    if (first === undefined) {
      return;
    }
    throw new ConfigError(first.message, { position: first.position, hint: first.hint, more: rest });
  }

  /**
   * The keys of a mapping whose keys are fixed. Keys not in `allowed` are reported (pointing at
   * the key) with the nearest valid key, or with `misplaced[key]` when that says where it belongs.
   */
  keys(
    field: Field,
    allowed: readonly string[],
    misplaced: Readonly<Record<string, string>> = {},
  ): Map<string, Field> | undefined {
    const entries = this.entries(field);
    if (entries === undefined) {
      return undefined;
    }
    const result = new Map<string, Field>();
    const suggested = new Set<string>();
    this.suggested.set(result, suggested);
    for (const entry of entries) {
      if (allowed.includes(entry.key)) {
        result.set(entry.key, entry.field);
        continue;
      }
      const where = field.label === '' ? 'at the top level' : `in \`${field.label}\``;
      const belongs = misplaced[entry.key];
      if (belongs !== undefined) {
        this.report(entry.keyAt, `\`${entry.key}\` is not allowed ${where}`, belongs);
        continue;
      }
      const near = nearestWord(entry.key, allowed);
      if (near !== undefined) {
        suggested.add(near);
      }
      this.report(
        entry.keyAt,
        `unknown key \`${entry.key}\` ${where}`,
        near === undefined
          ? `valid keys here: ${allowed.join(', ')}`
          : `did you mean \`${near}\`? Valid keys here: ${allowed.join(', ')}`,
      );
    }
    return result;
  }

  /** The entries of a mapping whose keys are free (accounts, tags, envs), keys as written. */
  entries(field: Field): Array<{ key: string; keyAt: number; field: Field }> | undefined {
    const node = field.node;
    if (!isMap(node)) {
      this.wrongType(field, 'a mapping (indented `key: value` lines)', `indent \`key: value\` lines under it`);
      return undefined;
    }
    const result: Array<{ key: string; keyAt: number; field: Field }> = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        const at = isScalar(keyNode) || isMap(keyNode) || isSeq(keyNode) ? keyNode.range[0] : field.at;
        this.report(at, `a key ${field.label === '' ? 'at the top level' : `in \`${field.label}\``} is not a plain name`, 'write keys as plain names, e.g. `region:`');
        continue;
      }
      const key = keyNode.source ?? String(keyNode.value);
      const keyAt = keyNode.range[0];
      const label = field.label === '' ? key : `${field.label}.${key}`;
      result.push({ key, keyAt, field: this.child(label, pair.value, keyAt) });
    }
    return result;
  }

  /** The items of a list. With `nonEmpty`, an empty list is reported. */
  items(field: Field, example: string, options: { nonEmpty?: boolean } = {}): Field[] | undefined {
    const node = field.node;
    if (!isSeq(node)) {
      this.wrongType(field, 'a list', `write a list, e.g. ${writeAs(field, example)}`);
      return undefined;
    }
    if (options.nonEmpty === true && node.items.length === 0) {
      this.report(field.at, `\`${field.label}\` is an empty list`, `list at least one entry, e.g. ${writeAs(field, example)}`);
      return undefined;
    }
    return node.items.map((item, i) =>
      this.child(`${field.label}[${i}]`, item, asParsedNode(item)?.range[0] ?? field.at),
    );
  }

  /**
   * A string value. A number or boolean is refused with a hint to quote it, because YAML has
   * already changed what was written (`0123` became 123).
   */
  string(field: Field, example: string): string | undefined {
    const node = field.node;
    if (isScalar(node) && typeof node.value === 'string') {
      if (node.value === '') {
        this.report(field.at, `\`${field.label}\` is empty`, `write e.g. ${writeAs(field, example)}`);
        return undefined;
      }
      return node.value;
    }
    if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
      this.wrongType(field, 'a string', `quote it: ${writeAs(field, `"${node.source ?? String(node.value)}"`)}`);
      return undefined;
    }
    this.wrongType(field, 'a string', `write e.g. ${writeAs(field, example)}`);
    return undefined;
  }

  /** A scalar's text exactly as written (for envs, where `1.10` must stay "1.10"). */
  scalarText(field: Field, example: string): string | undefined {
    const node = field.node;
    if (isScalar(node) && typeof node.value === 'string') {
      return node.value;
    }
    if (isScalar(node) && (typeof node.value === 'number' || typeof node.value === 'boolean')) {
      return node.source ?? String(node.value);
    }
    this.wrongType(field, 'a string', `write e.g. ${writeAs(field, example)}; write \`""\` for an empty value`);
    return undefined;
  }

  /** A whole number within [min, max]. */
  integer(field: Field, min: number, max: number, what: string, example: string): number | undefined {
    const node = field.node;
    if (!isScalar(node) || typeof node.value !== 'number' || !Number.isInteger(node.value)) {
      this.wrongType(field, `a whole number of ${what}`, `write e.g. ${writeAs(field, example)}`);
      return undefined;
    }
    if (node.value < min || node.value > max) {
      this.report(
        field.at,
        `\`${field.label}\` is ${node.value}, outside ${min}..${max} ${what}`,
        `write a value from ${min} to ${max}, e.g. ${writeAs(field, example)}`,
      );
      return undefined;
    }
    return node.value;
  }

  /** One of a fixed set of strings, with the nearest suggested when it is not. */
  choice<T extends string>(field: Field, choices: readonly T[]): T | undefined {
    const value = this.string(field, choices[0] ?? '');
    if (value === undefined) {
      return undefined;
    }
    const found = choices.find((choice) => choice === value);
    if (found !== undefined) {
      return found;
    }
    const near = nearestWord(value, choices);
    this.report(
      field.at,
      `\`${field.label}\` is "${value}", which is not one of ${choices.join(', ')}`,
      near === undefined ? `write one of ${choices.join(', ')}` : `did you mean ${writeAs(field, near)}?`,
    );
    return undefined;
  }

  /**
   * Reports that `keys` lacks `key`, pointing at the mapping that should hold it, unless a
   * misspelling of it was already reported there.
   */
  requireKey(keys: ReadonlyMap<string, Field>, key: string, parent: Field, hint: string): Field | undefined {
    const field = keys.get(key);
    if (field === undefined && this.suggested.get(keys)?.has(key) !== true) {
      const where = parent.label === '' ? 'the file' : `\`${parent.label}\``;
      this.report(parent.at, `${where} has no \`${key}\``, hint);
    }
    return field;
  }

  /** Describes what a node is, for "expected X, got Y" messages. */
  describe(node: ParsedNode | undefined): string {
    if (node === undefined) {
      return 'nothing';
    }
    if (isMap(node)) {
      return 'a mapping';
    }
    if (isSeq(node)) {
      return 'a list';
    }
    if (isScalar(node)) {
      const value = node.value;
      if (value === null) {
        return 'nothing (null)';
      }
      if (typeof value === 'string') {
        return `the string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
      }
      if (typeof value === 'number' || typeof value === 'boolean') {
        return `the ${typeof value} ${node.source ?? String(value)}`;
      }
    }
    return 'an unsupported value';
  }

  private wrongType(field: Field, expected: string, hint: string): void {
    if (this.problems.some((problem) => problem.at === field.at)) {
      return; // something more specific was already said about this value (an undefined alias)
    }
    const label = field.label === '' ? 'the file' : `\`${field.label}\``;
    this.report(field.at, `${label} must be ${expected}, got ${this.describe(field.node)}`, hint);
  }

  private child(label: string, value: unknown, fallbackAt: number): Field {
    const written = asParsedNode(value);
    if (written === undefined || (isScalar(written) && written.value === null && (written.source ?? '') === '')) {
      return { label, node: undefined, at: fallbackAt };
    }
    const node = this.deref(written);
    if (node === undefined) {
      this.report(
        written.range[0],
        `\`${label}\` refers to an anchor that is not defined: ${String(written.toString())}`,
        'define the anchor (`&name`) before the alias (`*name`) that uses it',
      );
    }
    return { label, node, at: written.range[0] };
  }

  private deref(node: ParsedNode): ParsedNode | undefined {
    if (!isAlias(node)) {
      return node;
    }
    const target = node.resolve(this.doc);
    return isAlias(target) ? undefined : asParsedNode(target);
  }
}

/** The node, if it is one the parser made (those carry a source range). */
function asParsedNode(value: unknown): ParsedNode | undefined {
  const isNode = isScalar(value) || isMap(value) || isSeq(value) || isAlias(value);
  return isNode && Array.isArray(value.range) ? (value as ParsedNode) : undefined;
}

function keyTextAt(text: string, at: number): string {
  const rest = text.slice(at);
  const match = /^["']?([^"':\n]*)/.exec(rest);
  return (match?.[1] ?? '').trim();
}
