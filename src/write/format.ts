import type { OutputFile } from '../emit/output.js';

/**
 * Formats the generated files. Code is emitted already laid out by ts-morph's writer in prettier's
 * style (2 spaces, single quotes, semicolons), so prettier only runs on the small text files and,
 * with `prettier: true`, on code too: on the full Plaid spec prettier alone takes longer than all
 * of generation (see bench/), which is why it is not the default for code.
 */
export async function formatFiles(files: OutputFile[], options: { prettierCode: boolean }): Promise<OutputFile[]> {
  const prettier = await import('prettier');
  return Promise.all(
    files.map(async (file) => {
      const parser = parserFor(file.path, options.prettierCode);
      if (!parser || (parser === 'markdown' && file.content.length > 500_000)) return file; // prettier's markdown tables grow super-linearly: 20 s on microsoft graph's 4.7 MB README
      const content = await prettier.format(file.content, { parser, singleQuote: true, printWidth: 120, trailingComma: 'all', proseWrap: 'preserve' });
      return { ...file, content };
    }),
  );
}

function parserFor(file: string, code: boolean): string | undefined {
  if (file.endsWith('.json')) return 'json';
  if (file.endsWith('.md')) return 'markdown';
  if (code && /\.(ts|mts|js|mjs)$/.test(file)) return 'typescript';
  return undefined;
}
