import * as path from 'node:path';
import { readAwsProfileNames } from '../../auth/readAwsProfileNames';
import type { CompiledConfig } from '../../config/types';
import { ConfigError, type SourcePosition } from '../../errors';
import { findMappingFile } from '../../locate/findMappingFile';
import { findUnits } from '../../locate/findUnits';
import { loadMappingFile, loadUserConfig } from '../../locate/resolveUnit';
import { portalAndBaseProblems } from '../../resolve/portalAndBaseProblems';
import type { CommandContext } from '../CommandContext';
import { unitCoverage, type UnitCoverage } from '../../resolve/unitCoverage';
import { AMBIGUOUS_FIX, ambiguousText, UNMATCHED, unmatchedFix } from '../render/verdictWords';

export interface ValidateOptions {
  dir: string | undefined;
  config: string | undefined;
  units: boolean;
  json: boolean;
}

/**
 * `rolemap validate [--units]`. A broken file throws its ConfigError (exit 2). With --units, an
 * uncovered unit (unless `unmatched: empty`) or an ambiguous one also exits 2; that error lists
 * every problem with its file:line, so stderr alone says what to fix.
 */
export async function runValidate(options: ValidateOptions, context: CommandContext): Promise<void> {
  const { deps } = context;
  const location = findMappingFile(path.resolve(options.dir ?? deps.cwd), options.config, deps.rolemapEnv.config);
  deps.logger.debug('validating the mapping file', { file: location.file, foundBy: location.source });
  // Always compile from the text, so validate reports what the file says now.
  const config = await loadMappingFile(location.file, { compiledStore: undefined, logger: deps.logger });
  await checkPortalsAndBases(config, context);
  if (!options.units) {
    const summary = { file: location.file, valid: true, mappings: config.mappings.length, accounts: Object.keys(config.accounts).length };
    if (options.json) deps.output.json(summary);
    else deps.output.text(`${location.file}: valid (${count(summary.mappings, 'mapping')}, ${count(summary.accounts, 'account')})`);
    return;
  }
  const units = findUnits(config.dir);
  deps.logger.debug('scanned for units', { root: config.dir, units: units.length });
  const coverage = unitCoverage(config, units);
  if (options.json) deps.output.json({ file: location.file, ...coverage });
  else deps.output.text(coverageText(location.file, config, coverage));

  const uncovered = config.unmatched === 'empty' ? [] : coverage.units.filter((u) => u.status === 'uncovered');
  const ambiguous = coverage.units.filter((u) => u.status === 'ambiguous');
  if (uncovered.length + ambiguous.length > 0) {
    const problems = [
      uncovered.length > 0 ? `${count(uncovered.length, 'unit')} not covered` : '',
      ambiguous.length > 0 ? `${count(ambiguous.length, 'unit')} ambiguous` : '',
    ].filter((p) => p !== '');
    throw new ConfigError(`${location.file} does not cover every unit under ${config.dir}: ${problems.join(', ')}.`, {
      hint: [uncovered.length > 0 ? unmatchedFix(true) : '', ambiguous.length > 0 ? AMBIGUOUS_FIX : ''].filter((h) => h !== '').join(' '),
      more: problemEntries(config, coverage),
    });
  }
}

/**
 * Every mapping has a portal where it needs one, and the base profile the developer's config
 * gives it exists (outside CI, where that config is read).
 * @throws ConfigError listing each problem at its file:line:column.
 */
async function checkPortalsAndBases(config: CompiledConfig, context: CommandContext): Promise<void> {
  const { deps } = context;
  const userConfig = await loadUserConfig({ fromEnv: deps.rolemapEnv, env: deps.env, homedir: deps.homedir, compiledStore: undefined, logger: deps.logger });
  const profiles = userConfig === undefined ? undefined : await readAwsProfileNames(deps.env, deps.homedir);
  const [first, ...rest] = portalAndBaseProblems(config, userConfig, profiles);
  if (first === undefined) return;
  throw new ConfigError(first.message, { position: first.position, hint: first.hint, more: rest });
}

/** The human report: one line per unit, then mappings that cover no unit. */
function coverageText(file: string, config: CompiledConfig, coverage: UnitCoverage): string {
  const width = Math.max(0, ...coverage.units.map((u) => u.unit.length));
  const lines = [`${file}: valid; ${count(coverage.units.length, 'unit')} found under ${config.dir}`];
  for (const unit of coverage.units) {
    const name = unit.unit.padEnd(width);
    if (unit.status === 'covered') lines.push(`  covered    ${name}  mapping #${unit.mapping} (${unit.glob})`);
    if (unit.status === 'uncovered') {
      const why = config.unmatched === 'empty' ? ', gets {} (unmatched: empty)' : '';
      lines.push(`  UNCOVERED  ${name}  ${UNMATCHED}${why}; nearest globs: ${unit.nearest.join(', ') || 'none'}`);
    }
    if (unit.status === 'ambiguous') {
      lines.push(`  AMBIGUOUS  ${name}  ${ambiguousText(unit.mappings.map((m) => `#${m} at ${mappingAt(config, m)}`))}`);
    }
  }
  for (const unused of coverage.unusedMappings) {
    lines.push(`  unused     mapping #${unused.mapping} at ${unused.at} (${unused.globs.join(', ')}) covers no unit`);
  }
  return lines.join('\n');
}

/** Every problem as its own error entry, positioned at the mapping it concerns where there is one. */
function problemEntries(config: CompiledConfig, coverage: UnitCoverage): Array<{ message: string; position?: SourcePosition }> {
  const entries: Array<{ message: string; position?: SourcePosition }> = [];
  for (const unit of coverage.units) {
    if (unit.status === 'uncovered' && config.unmatched !== 'empty') {
      entries.push({ message: `UNCOVERED ${unit.unit}: ${UNMATCHED}; nearest globs: ${unit.nearest.join(', ') || 'none'}` });
    }
    if (unit.status === 'ambiguous') {
      const [first] = unit.mappings;
      const position = first === undefined ? undefined : config.mappings[first - 1]?.position;
      const tied = unit.mappings.map((m) => `#${m} at ${mappingAt(config, m)}`);
      entries.push({ message: `AMBIGUOUS ${unit.unit}: ${ambiguousText(tied)}`, ...(position ? { position } : {}) });
    }
  }
  for (const unused of coverage.unusedMappings) {
    const position = config.mappings[unused.mapping - 1]?.position;
    entries.push({ message: `unused: mapping #${unused.mapping} (${unused.globs.join(', ')}) covers no unit`, ...(position ? { position } : {}) });
  }
  return entries;
}

function mappingAt(config: CompiledConfig, mapping: number): string {
  const position = config.mappings[mapping - 1]?.position;
  return position === undefined ? '?' : `${position.file}:${position.line}`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
