import * as path from 'node:path';
import { ConfigError } from '../../errors';
import { findMappingFile } from '../../locate/findMappingFile';
import { findUnits } from '../../locate/findUnits';
import { loadMappingFile } from '../../locate/resolveUnit';
import type { CommandContext } from '../CommandContext';
import { unitCoverage } from './unitCoverage';

export interface ValidateOptions {
  dir: string | undefined;
  config: string | undefined;
  units: boolean;
  json: boolean;
}

/**
 * `rolemap validate [--units]`. A broken file throws its ConfigError (exit 2). With --units, an
 * uncovered unit (unless `unmatched: empty`) or an ambiguous one also exits 2, after the report.
 */
export async function runValidate(options: ValidateOptions, context: CommandContext): Promise<void> {
  const { deps } = context;
  const location = findMappingFile(path.resolve(options.dir ?? deps.cwd), options.config, deps.env['ROLEMAP_CONFIG']);
  // Always compile from the text, so validate reports what the file says now.
  const config = await loadMappingFile(location.file, { compiledStore: undefined, logger: deps.logger });
  if (!options.units) {
    const summary = { file: location.file, valid: true, mappings: config.mappings.length, accounts: Object.keys(config.accounts).length };
    if (options.json) deps.output.json(summary);
    else deps.output.text(`${location.file}: valid (${summary.mappings} mappings, ${summary.accounts} accounts)`);
    return;
  }
  const coverage = unitCoverage(config, findUnits(config.dir));
  const uncovered = coverage.units.filter((u) => u.status === 'uncovered');
  const ambiguous = coverage.units.filter((u) => u.status === 'ambiguous');
  if (options.json) {
    deps.output.json({ file: location.file, ...coverage });
  } else {
    const lines = [`${location.file}: valid; ${coverage.units.length} units found under ${config.dir}`];
    for (const unit of coverage.units) {
      if (unit.status === 'covered') lines.push(`  covered    ${unit.unit}  (mapping #${unit.mapping}, ${unit.glob})`);
      if (unit.status === 'uncovered') lines.push(`  UNCOVERED  ${unit.unit}  (nearest: ${unit.nearest.join(', ') || 'none'})`);
      if (unit.status === 'ambiguous') lines.push(`  AMBIGUOUS  ${unit.unit}  (mappings ${unit.mappings.map((m) => `#${m}`).join(', ')} tie)`);
    }
    for (const unused of coverage.unusedMappings) {
      lines.push(`  unused mapping #${unused.mapping} at ${unused.at} (${unused.globs.join(', ')}) covers no unit`);
    }
    deps.output.text(lines.join('\n'));
  }
  const failing = ambiguous.length + (config.unmatched === 'empty' ? 0 : uncovered.length);
  if (failing > 0) {
    throw new ConfigError(`${uncovered.length} units are not covered and ${ambiguous.length} are ambiguous in ${location.file}.`, {
      hint: 'Add or narrow mappings so that every unit matches exactly one most-specific mapping (see the report above).',
    });
  }
}
