import CodeBlockWriter from 'code-block-writer';

export type { default as CodeBlockWriter } from 'code-block-writer';

/**
 * ts-morph's code writer, imported from its own package: `import 'ts-morph'` loads the whole
 * TypeScript compiler (~350 ms per CLI start), and emitters only need the writer.
 */
export function createWriter(): CodeBlockWriter {
  return new CodeBlockWriter({ indentNumberOfSpaces: 2, useSingleQuote: true, newLine: '\n' });
}
