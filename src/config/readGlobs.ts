import type { CompiledGlob } from './types';
import { compileGlob } from './compileGlob';
import type { Field, YamlReader } from './YamlReader';

/** Reads a non-empty list of path globs (`paths:`) and compiles each one. */
export function readGlobs(reader: YamlReader, field: Field): CompiledGlob[] | undefined {
  const items = reader.items(field, '["live/dev/**"]', { nonEmpty: true });
  if (items === undefined) {
    return undefined;
  }
  const globs: CompiledGlob[] = [];
  for (const item of items) {
    const glob = reader.string(item, '"live/dev/**"');
    if (glob === undefined) {
      continue;
    }
    const compiled = compileGlob(glob);
    if (!compiled.ok) {
      reader.report(item.at, compiled.message, compiled.hint);
      continue;
    }
    globs.push({
      glob,
      regexSource: compiled.regexSource,
      regexFlags: compiled.regexFlags,
      literalSegments: compiled.literalSegments,
      position: reader.position(item.at),
    });
  }
  return globs.length === items.length ? globs : undefined;
}
