import type { Argv } from 'yargs';
import { inspect } from '../generate.js';
import type { ApiModel } from '../model/types.js';

export function inspectCommand(cli: Argv, _setExit: (code: number) => void): Argv {
  return cli.command(
    'inspect',
    'print the normalized model: operations, schemas, scope catalogs, warnings, conflicts',
    (y) =>
      y
        .option('spec', { type: 'string', array: true, demandOption: true, describe: 'input file or glob, repeatable' })
        .option('json', { type: 'boolean', default: false, describe: 'print the whole model as JSON' }),
    async (args) => {
      const model = await inspect(args.spec);
      process.stdout.write(args.json ? JSON.stringify(model, null, 2) + '\n' : summarize(model));
    },
  );
}

/** A human-readable digest of the model. */
export function summarize(model: ApiModel): string {
  const lines: string[] = [];
  lines.push(`${model.info.title} ${model.info.version} (OpenAPI ${model.info.openapi}) from ${model.sources.join(', ')}`);
  lines.push(`servers: ${model.servers.map((s) => `${s.url}${s.description ? ` (${s.description})` : ''}`).join(', ') || 'none'}`);
  lines.push(`security schemes: ${model.securitySchemes.map((s) => `${s.key} (${s.type}${s.name ? ` ${s.in} ${s.name}` : ''})`).join(', ') || 'none'}`);
  lines.push('', `operations (${model.operations.length}):`);
  for (const op of model.operations) {
    const media = op.requestBody?.content.map((m) => m.mediaType).join(', ');
    lines.push(`  ${op.name.padEnd(36)} ${op.method.toUpperCase().padEnd(6)} ${op.path}${media ? `  [${media}]` : ''}`);
  }
  lines.push('', `schemas (${model.schemas.length}):`);
  const names = model.schemas.map((s) => (s.symbol === s.key ? s.key : `${s.key} -> ${s.symbol}`));
  for (let i = 0; i < names.length; i += 4) lines.push('  ' + names.slice(i, i + 4).join(', '));
  lines.push('', `scope catalogs (${model.scopeCatalogs.length}):`);
  for (const c of model.scopeCatalogs) {
    lines.push(`  ${c.id}: ${c.scopes.length} scopes, ${c.groups.length} groups, ${c.rules.length} rules, ${c.defaults.length} defaults, ${c.operations.length} operation mappings`);
    for (const rule of c.rules) {
      const patterns = rule.kind === 'exclusive' && rule.patterns?.length ? ` (patterns: ${rule.patterns.join(' ')})` : '';
      lines.push(`    - ${rule.kind}: ${'scopes' in rule ? rule.scopes.join(' ') : `${rule.scope} -> ${'oneOf' in rule ? rule.oneOf.join(' | ') : rule.implies.join(' ')}`}${patterns}`);
    }
  }
  lines.push('', `warnings (${model.warnings.length}):`);
  for (const w of model.warnings) lines.push(`  ${w.file ?? ''}${w.pointer !== undefined ? `#${w.pointer}` : ''}: [${w.code}] ${w.message}`);
  lines.push('', `conflicts (${model.conflicts.length}):`);
  for (const c of model.conflicts) lines.push(`  ${c.kind} ${c.key}: ${c.previous.file}#${c.previous.pointer} -> ${c.next.file}#${c.next.pointer} (later wins)`);
  if (model.enrichments.length) {
    lines.push('', `enrichments (${model.enrichments.length}):`);
    for (const e of model.enrichments) lines.push(`  ${e.key}: ${e.message} (${e.file})`);
  }
  return lines.join('\n') + '\n';
}
