import path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { InputError, joinPointer } from './errors.js';
import { schemaIds, type SchemaIds } from './schema-ids.js';
import type { InputFormat, RawInput } from './inputs.js';
import { parseCached } from './cached-parse.js';

const STRUCTURED = /\.(ya?ml|json)$/i;
const OPENAPI_KEY = /^\s*["']?(openapi|swagger)["']?\s*:/m;

/** Whole OpenAPI 3.0 / 3.1 documents in YAML or JSON, bundled by swagger-parser so that named schemas stay named. */
export const openapiFormat: InputFormat = {
  name: 'openapi',
  detect(file, text) {
    return STRUCTURED.test(file) && OPENAPI_KEY.test(text.slice(0, 65536)) && text.split('\n', 3).length > 1;
  },
  async load(file, text) {
    const document = parseCached(text, file);
    return [await bundleOpenApi(file, document)];
  },
};

export async function bundleOpenApi(file: string, document: unknown): Promise<RawInput> {
  if (!document || typeof document !== 'object' || Array.isArray(document)) {
    throw new InputError('not an OpenAPI document: expected an object at the top level', { file, pointer: '' });
  }
  const doc = document as Record<string, unknown>;
  if (typeof doc.swagger === 'string') {
    throw new InputError(`Swagger ${doc.swagger} is not supported: convert it to OpenAPI 3 first`, { file, pointer: '/swagger' });
  }
  if (typeof doc.openapi !== 'string' || !/^3\.[01](\.|$)/.test(doc.openapi)) {
    throw new InputError(
      doc.openapi === undefined
        ? 'not an OpenAPI document: no `openapi` version field'
        : `unsupported OpenAPI version ${JSON.stringify(doc.openapi)}: expected 3.0.x or 3.1.x`,
      { file, pointer: '/openapi' },
    );
  }
  let bundled: Record<string, unknown> = doc;
  // 3.1: a ref relative to an $id (or to an $anchor) stays in the document.
  const ids = doc.openapi.startsWith('3.1') ? schemaIds(doc) : undefined;
  if (hasExternalRef(doc, ids)) {
    try {
      bundled = (await SwaggerParser.bundle(path.resolve(file), doc as never, {})) as unknown as Record<string, unknown>;
    } catch (error) {
      throw new InputError(`cannot resolve external $ref: ${(error as Error).message.split('\n')[0]}`, { file });
    }
  }
  return { kind: 'openapi', file, document: bundled, fragment: false, format: 'openapi', warnings: [] };
}

/**
 * swagger-parser's bundle walks the whole document even when every $ref is local; on the 3 MB Plaid
 * spec that is most of the load time, so we only hand it documents that point at other files.
 */
function hasExternalRef(value: unknown, ids: SchemaIds | undefined): boolean {
  // Pointers only matter to resolve a ref against an $id; without any, none is built.
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length) {
    const [node, pointer] = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        if (item && typeof item === 'object') stack.push([item, ids ? joinPointer(pointer, i) : '']);
      });
    } else if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === '$ref' && typeof child === 'string' && !child.startsWith('#') && ids?.resolve(child, pointer) === undefined) return true;
        if (child && typeof child === 'object') stack.push([child, ids ? joinPointer(pointer, key) : '']);
      }
    }
  }
  return false;
}
