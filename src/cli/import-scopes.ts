import fs from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../load/errors.js';
import { loadInput } from '../load/index.js';
import { writeScopeManifest } from '../load/scope-manifest.js';
import { parseScopeTable } from '../load/scope-table.js';
import { catalogId } from '../load/text/catalog.js';
import { cleanText } from '../load/text/prose.js';
import type { Diagnostic, ScopeCatalog } from '../model/types.js';
import { buildModel } from '../normalize/index.js';

/** `codegen import-scopes FILE [--provider NAME] [--out F.yaml]`: a scope page (or any input holding a catalog) to a scope manifest. */
export function importScopesCommand(cli: Argv, _setExit: (code: number) => void): Argv {
  return cli.command(
    'import-scopes <file>',
    'turn a scope table (docs page text), reference page or OpenAPI oauth2 scheme into a scope manifest',
    (y) =>
      y
        .positional('file', { type: 'string', demandOption: true, describe: 'scope page text, reference page, manifest or OpenAPI document' })
        .option('provider', { type: 'string', describe: 'catalog id (provider name, e.g. plaid); picks the catalog when the input holds several' })
        .option('out', { type: 'string', describe: 'write the manifest here (default: stdout)' }),
    async (args) => {
      const { catalog, warnings } = await importScopes(args.file as string, args.provider);
      for (const w of warnings) process.stderr.write(`codegen: warning: ${w.line !== undefined ? `line ${w.line}: ` : ''}[${w.code}] ${w.message}\n`);
      const text = writeScopeManifest(catalog, { source: args.file as string, notes: warnings.map((w) => `${w.line !== undefined ? `line ${w.line}: ` : ''}${w.message}`) });
      if (!args.out) {
        process.stdout.write(text);
        return;
      }
      const out = path.resolve(args.out);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const tmp = `${out}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, out);
      process.stderr.write(`codegen: wrote scope catalog ${catalog.id} (${catalog.scopes.length} scopes, ${catalog.rules.length} rules) to ${args.out}\n`);
    },
  );
}

export async function importScopes(file: string, provider?: string): Promise<{ catalog: ScopeCatalog; warnings: Diagnostic[] }> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`, { file });
  }
  const { looksLikeScopeTable } = await import('../load/scope-table.js');
  const { findOperationLine } = await import('../load/reference-page.js');
  // A scope page goes straight to the table reader, so --provider names it without a "no provider" warning.
  if (looksLikeScopeTable(cleanText(text)) && !findOperationLine(cleanText(text))) {
    return parseScopeTable(text, file, { provider });
  }
  const inputs = await loadInput(file);
  let found = inputs.flatMap((i) => (i.kind === 'scopes' ? [{ catalog: i.catalog, warnings: i.warnings }] : []));
  if (found.length === 0) {
    const model = buildModel(inputs);
    found = model.scopeCatalogs.map((catalog) => ({ catalog, warnings: [] }));
  }
  if (found.length === 0) throw new InputError('holds no scope catalog (no scope list, scope table, manifest or OAuth 2 scopes)', { file });
  if (found.length > 1) {
    const pick = provider !== undefined ? found.find((f) => f.catalog.id === catalogId(provider)) : undefined;
    if (!pick) throw new InputError(`holds ${found.length} scope catalogs (${found.map((f) => f.catalog.id).join(', ')}); pass --provider to pick one`, { file });
    found = [pick];
  }
  const { catalog, warnings } = found[0];
  return { catalog: provider !== undefined ? { ...catalog, id: catalogId(provider) } : catalog, warnings };
}
