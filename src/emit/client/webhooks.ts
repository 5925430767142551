import type { ApiModel, NamedSchema, Operation, Schema } from '../../model/types.js';
import { propertyKey, stringLiteral } from '../shared/escape.js';
import { schemaDoc, writeDoc } from '../shared/jsdoc.js';
import type { CodeBlockWriter } from '../shared/writer.js';
import type { OpenTypes } from './open-types.js';
import { collectProperties } from './shape.js';

export interface WebhookSchema {
  named: NamedSchema;
  type: string;
  code: string;
}

/**
 * Webhook payload schemas: named `...Webhook`, with `webhook_type` and `webhook_code` fields whose
 * value is a const, a one-value enum, or (as in Plaid's spec) the only code span of the description.
 */
export function findWebhooks(model: ApiModel): { keyed: WebhookSchema[]; unkeyed: NamedSchema[] } {
  const schemas = new Map(model.schemas.map((s) => [s.key, s]));
  const keyed: WebhookSchema[] = [];
  const unkeyed: NamedSchema[] = [];
  for (const named of model.schemas) {
    if (!/Webhook$/.test(named.key)) continue;
    const props = collectProperties(named.schema, schemas);
    const type = props.get('webhook_type');
    const code = props.get('webhook_code');
    const t = type && fixedValue(type);
    const c = code && fixedValue(code);
    if (t !== undefined && c !== undefined) keyed.push({ named, type: t, code: c });
    else unkeyed.push(named);
  }
  return { keyed, unkeyed };
}

function fixedValue(schema: Schema): string | undefined {
  if (schema.hasConst && typeof schema.const === 'string') return schema.const;
  if (schema.enum?.length === 1 && typeof schema.enum[0] === 'string') return schema.enum[0];
  const m = /^\s*`"?([A-Za-z0-9_.:-]+)"?`\s*\.?\s*$/.exec(schema.description ?? '');
  return m?.[1];
}

/** The operation that serves webhook verification keys (Plaid: /webhook_verification_key/get). */
export function findKeyOperation(model: ApiModel): Operation | undefined {
  return model.operations.find((op) => /webhook_verification_key/.test(op.path) && op.requestBody !== undefined);
}

export function payloadName(w: WebhookSchema): string {
  return `${w.named.symbol}Payload`;
}

/** client/webhooks.ts: typed payloads keyed by webhook_type and webhook_code, verifyWebhook, the key fetcher. */
export function writeWebhooks(w: CodeBlockWriter, model: ApiModel, open: OpenTypes, keyOp: Operation | undefined): void {
  const { keyed } = findWebhooks(model);
  w.writeLine("import type * as $T from '../types.js';");
  w.writeLine("import type * as $R from './types.js';");
  w.writeLine("import { verifyWebhookSignature, type VerifyWebhookOptions, type WebhookHeaders, type WebhookVerification } from './verify.js';");
  if (keyOp) {
    w.writeLine("import type { BaseClient } from './runtime.js';");
    w.writeLine(`import { ${keyOp.name} as $keyOp } from './ops.js';`);
  }
  w.blankLine();
  w.writeLine("type Keyed<W, T extends string, C extends string> = Omit<W, 'webhook_type' | 'webhook_code'> & { webhook_type: T; webhook_code: C };");

  const byType = new Map<string, Map<string, string[]>>();
  for (const hook of keyed) {
    const base = open.emitted.has(hook.named.key) ? `$R.${hook.named.symbol}` : `$T.${hook.named.symbol}`;
    w.blankLine();
    writeDoc(w, { ...schemaDoc(hook.named.schema), tags: [] });
    w.writeLine(`export type ${payloadName(hook)} = Keyed<${base}, ${stringLiteral(hook.type)}, ${stringLiteral(hook.code)}>;`);
    const codes = byType.get(hook.type) ?? new Map<string, string[]>();
    codes.set(hook.code, [...(codes.get(hook.code) ?? []), payloadName(hook)]);
    byType.set(hook.type, codes);
  }

  w.blankLine();
  writeDoc(w, { description: `Webhook payloads by webhook_type, then webhook_code (${keyed.length} payload schemas).` });
  w.write('export interface WebhookPayloads {').newLine();
  w.indent(() => {
    for (const type of [...byType.keys()].sort()) {
      w.write(`${propertyKey(type)}: {`).newLine();
      w.indent(() => {
        const codes = byType.get(type)!;
        for (const code of [...codes.keys()].sort()) w.write(`${propertyKey(code)}: ${codes.get(code)!.join(' | ')};`).newLine();
      });
      w.write('};').newLine();
    }
  });
  w.write('}').newLine();
  w.blankLine();
  writeDoc(w, { description: 'Any webhook: narrow it on webhook_type and webhook_code.' });
  w.writeLine(`export type Webhook = ${keyed.length ? keyed.map(payloadName).join(' | ') : 'never'};`);
  w.writeLine('export type WebhookOf<T extends keyof WebhookPayloads, C extends keyof WebhookPayloads[T] = keyof WebhookPayloads[T]> = WebhookPayloads[T][C];');

  w.blankLine();
  writeDoc(w, {
    description: [
      'Checks a webhook as Plaid documents it, with Web Crypto only: the Plaid-Verification header is an ES256 JWT',
      'signed by the key its `kid` names; it must be under 5 minutes old, and its request_body_sha256 claim must',
      'equal the SHA-256 of the raw body (compared in constant time). Pass the body exactly as received.',
    ].join('\n'),
  });
  w.writeLine('export function verifyWebhook(body: string | Uint8Array | ArrayBuffer, headers: WebhookHeaders, options: VerifyWebhookOptions): Promise<WebhookVerification<Webhook>> {');
  w.indent(() => w.writeLine('return verifyWebhookSignature<Webhook>(body, headers, options);'));
  w.writeLine('}');

  if (keyOp) {
    w.blankLine();
    writeDoc(w, {
      description: [
        `A \`getKey\` for verifyWebhook: fetches keys through ${keyOp.name} (${keyOp.method.toUpperCase()} ${keyOp.path}) and caches them.`,
        'On a key id it has not seen, it also re-fetches the cached keys that have not expired, so a rotated key',
        'is noticed (the scheme Plaid documents).',
      ].join('\n'),
    });
    w.writeLine('export function createWebhookKeyFetcher(client: BaseClient): (kid: string) => Promise<JsonWebKey | null> {');
    w.indent(() => {
      w.writeLine('const cache = new Map<string, JsonWebKey & { expired_at?: unknown }>();');
      w.writeLine('const fetchKey = async (kid: string) => {');
      w.indent(() => {
        w.writeLine('try {');
        w.indent(() => {
          w.writeLine('const res = await client.$call<{ key?: JsonWebKey }>($keyOp, { key_id: kid }, undefined, undefined);');
          w.writeLine('if (res?.key) cache.set(kid, res.key);');
        });
        w.writeLine('} catch {');
        w.indent(() => w.writeLine('// An unknown key id is an answer too: verification fails for it.'));
        w.writeLine('}');
      });
      w.writeLine('};');
      w.writeLine('return async (kid) => {');
      w.indent(() => {
        w.writeLine('if (!cache.has(kid)) {');
        w.indent(() => {
          w.writeLine('const current = [...cache].filter(([, key]) => key.expired_at == null).map(([id]) => id);');
          w.writeLine('await Promise.all([...current, kid].map(fetchKey));');
        });
        w.writeLine('}');
        w.writeLine('return cache.get(kid) ?? null;');
      });
      w.writeLine('};');
    });
    w.writeLine('}');
  }
}
